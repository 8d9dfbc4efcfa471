import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { SmugglingInterdictionConnectionResolvers } from '../generated/graphql';

export const SmugglingInterdictionConnection: SmugglingInterdictionConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.interdiction, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.interdiction, page),
};
