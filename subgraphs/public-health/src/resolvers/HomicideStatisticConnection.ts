import { loadEdges, loadNodes } from '@bicentennial/subgraph-kit';
import type { HomicideStatisticConnectionResolvers } from '../generated/graphql';

export const HomicideStatisticConnection: HomicideStatisticConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.homicide, page.nodes),
  edges: (page, _args, { loaders }) => loadEdges(loaders.homicide, page),
};
