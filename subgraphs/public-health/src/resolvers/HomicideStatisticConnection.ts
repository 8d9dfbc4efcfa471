import { loadNodes } from '@bicentennial/schema';
import type { HomicideStatisticConnectionResolvers } from '../generated/graphql';

export const HomicideStatisticConnection: HomicideStatisticConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.homicide, page.nodes),
};
