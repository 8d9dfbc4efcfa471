import { loadNodes } from '@bicentennial/schema';
import type { ExtraditionCaseConnectionResolvers } from '../generated/graphql';

export const ExtraditionCaseConnection: ExtraditionCaseConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.extraditionCase, page.nodes),
};
