import { childPage } from '@bicentennial/subgraph-kit';
import type { CriminalOrganizationResolvers } from '../generated/graphql';

/** A criminal organization as firearms knows it: its slug (the finance subgraph resolves the rest). */
export interface OrganizationRef {
  slug: string;
}

export const organizationRef = (slug: string): OrganizationRef => ({ slug });

export const CriminalOrganization: CriminalOrganizationResolvers = {
  __resolveReference: ({ slug }) => organizationRef(slug),
  firearmsTraffickingCases: (organization, args, { loaders }) =>
    loaders.casesByOrganization.load(childPage(organization.slug, args)),
  firearmSeizures: (organization, args, { loaders }) =>
    loaders.seizuresByOrganization.load(childPage(organization.slug, args)),
};
