import type { Page } from '@bicentennial/schema';

/** A port of entry as firearms knows it: its CBP port code (the border-trade subgraph resolves the rest). */
export interface PortRef {
  code: string;
}

/** A region as firearms knows it: its ISO code (the framework subgraph resolves the rest). */
export interface RegionRef {
  code: string;
}

/** A joint objective as firearms knows it: its id. */
export interface ObjectiveRef {
  id: string;
}

/** A criminal organization as firearms knows it: its slug (the finance subgraph resolves the rest). */
export interface OrganizationRef {
  slug: string;
}

/** A page of record ids; the connection's `nodes` load the records through the request's loaders. */
export type IdPage = Page<string>;

export const portRef = (code: string): PortRef => ({ code });
export const regionRef = (code: string): RegionRef => ({ code });
export const objectiveRef = (id: string): ObjectiveRef => ({ id });
export const organizationRef = (slug: string): OrganizationRef => ({ slug });
