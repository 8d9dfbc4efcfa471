import { childPage } from '@bicentennial/subgraph-kit';
import type { CriminalOrganizationResolvers } from '../generated/graphql';

/** A criminal organization as extradition knows it: its slug (the finance subgraph resolves the rest). */
export interface OrganizationRef {
  slug: string;
}

export const organizationRef = (slug: string): OrganizationRef => ({ slug });

export const CriminalOrganization: CriminalOrganizationResolvers = {
  // Finance owns the organization; any slug resolves here, with the cases attributed to it (if any).
  __resolveReference: ({ slug }) => ({ slug }),
  extraditions: (organization, args, { loaders }) =>
    loaders.casesByOrganization.load(childPage(organization.slug, args)),
};
