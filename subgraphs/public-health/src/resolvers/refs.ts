import type { Page } from '@bicentennial/schema';

/** A region as public-health knows it: its code (the framework subgraph resolves the rest). */
export interface RegionRef {
  code: string;
}

/** A joint objective as public-health knows it: its id. */
export interface ObjectiveRef {
  id: string;
}

/** A page of record ids; the connection's `nodes` load the records through the request's loaders. */
export type IdPage = Page<string>;

export const regionRef = (code: string): RegionRef => ({ code });
export const objectiveRef = (id: string): ObjectiveRef => ({ id });
