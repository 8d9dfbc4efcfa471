import { groupKey, regionRef } from '@bicentennial/subgraph-kit';
import type { SmugglingInterdictionGroupResolvers } from '../generated/graphql';

export const SmugglingInterdictionGroup: SmugglingInterdictionGroupResolvers = {
  region: (group) => {
    const state = groupKey(group, 'stateCode');
    return state ? regionRef(state) : null;
  },
  port: (group, _args, { loaders }) => {
    const code = groupKey(group, 'portCode');
    return code ? loaders.port.load(code) : null;
  },
  totalPersonsRescued: (group) => group.sum['personsRescued'] ?? 0,
  totalSuspectsArrested: (group) => group.sum['suspectsArrested'] ?? 0,
  averagePersonsRescued: (group) => group.average['personsRescued'] ?? null,
  averageSuspectsArrested: (group) => group.average['suspectsArrested'] ?? null,
};
