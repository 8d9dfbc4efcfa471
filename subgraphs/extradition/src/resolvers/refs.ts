/** A criminal organization as extradition knows it: its slug (the finance subgraph resolves the rest). */
export interface OrganizationRef {
  slug: string;
}

export const organizationRef = (slug: string): OrganizationRef => ({ slug });
