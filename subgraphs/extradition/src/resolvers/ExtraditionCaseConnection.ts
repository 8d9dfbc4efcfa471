import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { ExtraditionCaseConnectionResolvers } from '../generated/graphql';

export const ExtraditionCaseConnection: ExtraditionCaseConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.extraditionCase, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.extraditionCase, page),
};
