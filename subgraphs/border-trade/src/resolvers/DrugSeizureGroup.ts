import { groupKey, regionRef } from '@bicentennial/subgraph-kit';
import type { DrugSeizureGroupResolvers } from '../generated/graphql';

export const DrugSeizureGroup: DrugSeizureGroupResolvers = {
  region: (group) => {
    const state = groupKey(group, 'stateCode');
    return state ? regionRef(state) : null;
  },
  port: (group, _args, { loaders }) => {
    const code = groupKey(group, 'portCode');
    return code ? loaders.port.load(code) : null;
  },
  weighedCount: (group) => group.counted['quantityKg'] ?? 0,
  totalQuantityKg: (group) => group.sum['quantityKg'] ?? null,
  averageQuantityKg: (group) => group.average['quantityKg'] ?? null,
};
