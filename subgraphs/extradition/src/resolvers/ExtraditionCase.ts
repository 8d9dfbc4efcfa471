import { objectiveRef, provenanceOf } from '@bicentennial/subgraph-kit';
import type { ExtraditionCaseResolvers } from '../generated/graphql';
import { organizationRef } from './CriminalOrganization';

export const ExtraditionCase: ExtraditionCaseResolvers = {
  objective: (extradition) => objectiveRef(extradition.objectiveId),
  // The stored `status` is the record's provenance status; the case's own stage is `caseStatus`.
  status: (extradition) => extradition.caseStatus,
  organization: (extradition) => (extradition.organizationSlug ? organizationRef(extradition.organizationSlug) : null),
  transferAction: (extradition, _args, { loaders }) =>
    extradition.transferActionId ? loaders.transferActionByRecordId.load(extradition.transferActionId) : null,
  provenance: (extradition, _args, { loaders }) => provenanceOf(extradition, loaders.source),
};
