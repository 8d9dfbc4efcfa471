import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { DrugSeizureConnectionResolvers } from '../generated/graphql';

export const DrugSeizureConnection: DrugSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.drugSeizure, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.drugSeizure, page),
};
