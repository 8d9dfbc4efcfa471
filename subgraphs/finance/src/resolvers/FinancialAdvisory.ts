import { objectiveRef, provenanceOf } from '@bicentennial/subgraph-kit';
import type { FinancialAdvisoryResolvers } from '../generated/graphql';

export const FinancialAdvisory: FinancialAdvisoryResolvers = {
  namedInstitutions: (advisory, _args, { loaders }) => loaders.institutionsByAdvisory.load(advisory.id),
  objective: (advisory) => objectiveRef(advisory.objectiveId),
  statistics: (advisory, _args, { loaders }) => loaders.statisticsByAdvisory.load(advisory.id),
  provenance: (advisory, _args, { loaders }) => provenanceOf(advisory, loaders.source),
};
