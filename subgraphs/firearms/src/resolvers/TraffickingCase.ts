import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { TraffickingCaseResolvers } from '../generated/graphql';
import { organizationRef } from './CriminalOrganization';

export const TraffickingCase: TraffickingCaseResolvers = {
  objective: (trafficking) => objectiveRef(trafficking.objectiveId),
  country: (trafficking) => regionRef(trafficking.country),
  organization: (trafficking) => (trafficking.organizationSlug ? organizationRef(trafficking.organizationSlug) : null),
  provenance: (trafficking, _args, { loaders }) => provenanceOf(trafficking, loaders.source),
};
