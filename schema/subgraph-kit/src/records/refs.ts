import type DataLoader from 'dataloader';
import type { Page } from './pagination';

/** A region as a domain subgraph knows it: its code (the framework subgraph resolves the rest). */
export interface RegionRef {
  code: string;
}

/** A joint objective as a domain subgraph knows it: its id (the framework subgraph resolves the rest). */
export interface ObjectiveRef {
  id: string;
}

export const regionRef = (code: string): RegionRef => ({ code });
export const objectiveRef = (id: string): ObjectiveRef => ({ id });

/** A page of record ids; the connection's `nodes` load the records through the request's loaders. */
export type IdPage = Page<string>;

/** A page of rows as a page of ids, each row primed in the loader the connection's nodes read. */
export function idPage<T extends { id: string }>(page: Page<T>, prime: (row: T) => void): IdPage {
  page.nodes.forEach(prime);
  return { ...page, nodes: page.nodes.map((r) => r.id) };
}

/**
 * The rows of a page of ids, through the request's loader: a failed load (`loadMany` answers an
 * Error in its place) is surfaced, an id with no row left out.
 */
export async function loadNodes<T>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<T[]> {
  const rows = await loader.loadMany(ids);
  const failed = rows.find((row): row is Error => row instanceof Error);
  if (failed) throw failed;
  return (rows as (T | null)[]).filter((row): row is T => row !== null);
}

/** A connection's edge: an item with its cursor. */
export interface Edge<T> {
  cursor: string;
  node: T;
}

/** The edges of a page of rows (a page whose nodes are the rows themselves). */
export function edgesOf<T>(page: Page<T>): Edge<T>[] {
  return page.nodes.map((node, i) => ({ cursor: page.cursors[i]!, node }));
}

/**
 * The edges of a page of ids, the rows loaded through the request's loader as `loadNodes` loads
 * them: an id whose row is gone is left out with its cursor.
 */
export async function loadEdges<T>(loader: DataLoader<string, T | null>, page: IdPage): Promise<Edge<T>[]> {
  const rows = await loader.loadMany(page.nodes);
  const failed = rows.find((row): row is Error => row instanceof Error);
  if (failed) throw failed;
  const edges: Edge<T>[] = [];
  (rows as (T | null)[]).forEach((node, i) => {
    if (node !== null) edges.push({ cursor: page.cursors[i]!, node });
  });
  return edges;
}
