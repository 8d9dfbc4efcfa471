import { objectiveRef, provenanceOf } from '@bicentennial/subgraph-kit';
import type { SanctionsDesignationResolvers } from '../generated/graphql';
import { isAuthority } from '../records/designations';

const day = (date: Date) => date.toISOString().slice(0, 10);

export const SanctionsDesignation: SanctionsDesignationResolvers = {
  objective: (designation) => objectiveRef(designation.objectiveId),
  // Stored as text (see schema.prisma); only SanctionsAuthority values are ever written.
  authorities: (designation) => designation.authorities.filter(isAuthority),
  dateAsPublished: (designation) =>
    designation.datePrecision === 'MONTH' ? day(designation.designatedOn).slice(0, 7) : day(designation.designatedOn),
  organization: (designation, _args, { loaders }) =>
    designation.organizationSlug ? loaders.organization.load(designation.organizationSlug) : null,
  provenance: (designation, _args, { loaders }) => provenanceOf(designation, loaders.source),
};
