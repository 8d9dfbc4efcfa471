import { loadNodes } from '@bicentennial/subgraph-kit';
import type { AssetSeizureConnectionResolvers } from '../generated/graphql';

export const AssetSeizureConnection: AssetSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.assetSeizure, page.nodes),
};
