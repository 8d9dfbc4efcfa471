import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { OverdoseDeathStatisticResolvers } from '../generated/graphql';

export const OverdoseDeathStatistic: OverdoseDeathStatisticResolvers = {
  country: (statistic) => regionRef(statistic.countryCode),
  objective: (statistic) => objectiveRef(statistic.objectiveId),
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};
