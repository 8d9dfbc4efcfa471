import { loadNodes } from '@bicentennial/schema';
import type { DrugSeizureConnectionResolvers } from '../generated/graphql';

export const DrugSeizureConnection: DrugSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.drugSeizure, page.nodes),
};
