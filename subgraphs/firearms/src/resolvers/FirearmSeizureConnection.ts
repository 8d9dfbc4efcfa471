import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { FirearmSeizureConnectionResolvers } from '../generated/graphql';

export const FirearmSeizureConnection: FirearmSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.seizure, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.seizure, page),
};
