import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { TraceRequestStatisticResolvers } from '../generated/graphql';

export const TraceRequestStatistic: TraceRequestStatisticResolvers = {
  objective: (statistic) => objectiveRef(statistic.objectiveId),
  requestingCountry: (statistic) => regionRef(statistic.requestingCountry),
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};
