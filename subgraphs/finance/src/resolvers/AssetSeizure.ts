import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { AssetSeizureResolvers } from '../generated/graphql';

export const AssetSeizure: AssetSeizureResolvers = {
  objective: (seizure) => objectiveRef(seizure.objectiveId),
  country: (seizure) => regionRef(seizure.countryCode),
  organization: (seizure, _args, { loaders }) =>
    seizure.organizationSlug ? loaders.organization.load(seizure.organizationSlug) : null,
  provenance: (seizure, _args, { loaders }) => provenanceOf(seizure, loaders.source),
};
