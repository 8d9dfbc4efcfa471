import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { HomicideStatisticResolvers } from '../generated/graphql';

export const HomicideStatistic: HomicideStatisticResolvers = {
  region: (statistic) => regionRef(statistic.regionCode),
  objective: (statistic) => objectiveRef(statistic.objectiveId),
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};
