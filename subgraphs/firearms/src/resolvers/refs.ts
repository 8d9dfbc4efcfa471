/** A port of entry as firearms knows it: its CBP port code (the border-trade subgraph resolves the rest). */
export interface PortRef {
  code: string;
}

/** A criminal organization as firearms knows it: its slug (the finance subgraph resolves the rest). */
export interface OrganizationRef {
  slug: string;
}

export const portRef = (code: string): PortRef => ({ code });
export const organizationRef = (slug: string): OrganizationRef => ({ slug });
