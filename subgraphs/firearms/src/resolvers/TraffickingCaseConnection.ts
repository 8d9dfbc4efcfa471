import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { TraffickingCaseConnectionResolvers } from '../generated/graphql';

export const TraffickingCaseConnection: TraffickingCaseConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.traffickingCase, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.traffickingCase, page),
};
