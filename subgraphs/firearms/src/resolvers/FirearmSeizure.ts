import { objectiveRef, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { FirearmSeizureResolvers } from '../generated/graphql';
import { organizationRef } from './CriminalOrganization';
import { portRef } from './PortOfEntry';

export const FirearmSeizure: FirearmSeizureResolvers = {
  objective: (seizure) => objectiveRef(seizure.objectiveId),
  country: (seizure) => regionRef(seizure.country),
  state: (seizure) => regionRef(seizure.stateCode),
  port: (seizure) => (seizure.portCode ? portRef(seizure.portCode) : null),
  organization: (seizure) => (seizure.organizationSlug ? organizationRef(seizure.organizationSlug) : null),
  provenance: (seizure, _args, { loaders }) => provenanceOf(seizure, loaders.source),
};
