import type { Page } from '@bicentennial/schema';

/** A joint objective as extradition knows it: its id (the framework subgraph resolves the rest). */
export interface ObjectiveRef {
  id: string;
}

/** A criminal organization as extradition knows it: its slug (the finance subgraph resolves the rest). */
export interface OrganizationRef {
  slug: string;
}

/** A page of record ids; the connection's `nodes` load the records through the request's loaders. */
export type IdPage = Page<string>;

export const objectiveRef = (id: string): ObjectiveRef => ({ id });
export const organizationRef = (slug: string): OrganizationRef => ({ slug });
