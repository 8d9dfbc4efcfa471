import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { ProgrammeConnectionResolvers } from '../generated/graphql';

export const ProgrammeConnection: ProgrammeConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.programme, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.programme, page),
};
