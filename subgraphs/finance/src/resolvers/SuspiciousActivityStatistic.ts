import { objectiveRef, provenanceOf } from '@bicentennial/subgraph-kit';
import type { SuspiciousActivityStatisticResolvers } from '../generated/graphql';

export const SuspiciousActivityStatistic: SuspiciousActivityStatisticResolvers = {
  paymentMethodShares: (statistic, _args, { loaders }) => loaders.sharesByStatistic.load(statistic.id),
  objectives: (statistic) => statistic.objectiveIds.map(objectiveRef),
  publishedIn: (statistic, _args, { loaders }) =>
    statistic.advisoryId ? loaders.advisory.load(statistic.advisoryId) : null,
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};
