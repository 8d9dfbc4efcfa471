import { groupKey, objectiveRef, regionRef } from '@bicentennial/subgraph-kit';
import type { ProgrammeGroupResolvers } from '../generated/graphql';

export const ProgrammeGroup: ProgrammeGroupResolvers = {
  country: (group) => {
    const code = groupKey(group, 'countryCode');
    return code ? regionRef(code) : null;
  },
  region: (group) => {
    const code = groupKey(group, 'regionCode');
    return code ? regionRef(code) : null;
  },
  objective: (group) => {
    const id = groupKey(group, 'objectiveId');
    return id ? objectiveRef(id) : null;
  },
  fundedCount: (group) => group.counted['fundingUsd'] ?? 0,
  totalFundingUsd: (group) => group.sum['fundingUsd'] ?? null,
  averageFundingUsd: (group) => group.average['fundingUsd'] ?? null,
  reachedCount: (group) => group.counted['peopleReached'] ?? 0,
  totalPeopleReached: (group) => group.sum['peopleReached'] ?? null,
  averagePeopleReached: (group) => group.average['peopleReached'] ?? null,
};
