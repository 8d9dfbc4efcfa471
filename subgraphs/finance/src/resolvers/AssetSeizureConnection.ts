import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { AssetSeizureConnectionResolvers } from '../generated/graphql';

export const AssetSeizureConnection: AssetSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.assetSeizure, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.assetSeizure, page),
};
