import DataLoader from 'dataloader';
import { badUserInput } from '../errors';
import type { RawSql } from './idempotency';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** `first`, checked: 1–100, 20 when not given. */
export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/** A cursor is the position of the last item seen: its sort value and id, opaque to clients. */
export function encodeCursor(sort: Date | string | number, id: string): string {
  const value = sort instanceof Date ? sort.toISOString() : sort;
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string | number, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || typeof value[0] === 'number') &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through: not a cursor we made
  }
  throw badUserInput('after is not a cursor from this list (use pageInfo.endCursor)', 'after');
}

export interface ChildListSpec {
  /** Table (model) name, e.g. `DrugSeizure`. */
  table: string;
  /** Column holding the parent's key, e.g. `portCode`. */
  parentColumn: string;
  /** Column the list is ordered by, newest first, e.g. `seizedOn`. */
  sortColumn: string;
  /** SQL type of the sort column, for the cursor comparison (`date`, `timestamptz`, `text`, `float8`). */
  sortType: 'date' | 'timestamptz' | 'text' | 'float8' | 'int4';
}

const ident = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return `"${name}"`;
};

/**
 * A per-request loader of one page of children per parent (newest first, keyset pagination on
 * the sort column and id) with each parent's total: whatever the number of parents, one query for
 * the page's ids and one for the counts per distinct (first, after); the caller then loads the
 * rows themselves by id with its own typed loader.
 */
export interface ChildPageKey {
  parent: string;
  first: number;
  after: string | null;
  /** Equality filters on further columns (`{ drug: 'FENTANYL' }`); values are bound, never spliced. */
  where?: Record<string, string>;
}

export function childPageLoader(sql: RawSql, spec: ChildListSpec): DataLoader<ChildPageKey, Page<string>, string> {
  const table = ident(spec.table);
  const parent = ident(spec.parentColumn);
  const sort = ident(spec.sortColumn);
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, { key: ChildPageKey; parents: Set<string> }>();
      for (const key of keys) {
        const group = groupOf(key);
        const entry = groups.get(group) ?? { key, parents: new Set<string>() };
        entry.parents.add(key.parent);
        groups.set(group, entry);
      }
      const pages = new Map<string, Page<string>>();
      for (const [group, { key, parents }] of groups) {
        const { first, after } = key;
        const ids = [...parents];
        const params: unknown[] = [ids, first + 1];
        const filters: string[] = [];
        for (const [column, value] of Object.entries(key.where ?? {}).sort()) {
          params.push(value);
          filters.push(`t.${ident(column)}::text = $${params.length}`);
        }
        const countParams = [ids, ...params.slice(2)];
        const countFilters = filters.map((f) => f.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) - 1}`));
        if (after) {
          const [value, id] = decodeCursor(after);
          params.push(value, id);
          filters.push(`(t.${sort}, t."id") < ($${params.length - 1}::${spec.sortType}, $${params.length}::uuid)`);
        }
        const cursorFilter = filters.map((f) => `AND ${f}`).join(' ');
        const rows = await sql.$queryRawUnsafe<{ parent: string; id: string; sort: Date | string | number }[]>(
          `SELECT parent, id, sort FROM (
             SELECT t.${parent} AS parent, t."id"::text AS id, t.${sort} AS sort,
                    ROW_NUMBER() OVER (PARTITION BY t.${parent} ORDER BY t.${sort} DESC, t."id" DESC) AS n
             FROM ${table} t
             WHERE t.${parent} = ANY($1::text[]) ${cursorFilter}
           ) ranked
           WHERE n <= $2
           ORDER BY parent, n`,
          ...params,
        );
        const counts = await sql.$queryRawUnsafe<{ parent: string; total: number }[]>(
          `SELECT t.${parent} AS parent, count(*)::int AS total FROM ${table} t
           WHERE t.${parent} = ANY($1::text[]) ${countFilters.map((f) => `AND ${f}`).join(' ')} GROUP BY t.${parent}`,
          ...countParams,
        );
        const totals = new Map(counts.map((c) => [c.parent, Number(c.total)]));
        const byParent = new Map<string, { id: string; sort: Date | string | number }[]>();
        for (const row of rows) {
          const list = byParent.get(row.parent) ?? [];
          list.push(row);
          byParent.set(row.parent, list);
        }
        for (const id of ids) {
          const list = byParent.get(id) ?? [];
          const page = list.slice(0, first);
          const last = page.at(-1);
          pages.set(`${id}|${group}`, {
            nodes: page.map((r) => r.id),
            pageInfo: { hasNextPage: list.length > first, endCursor: last ? encodeCursor(last.sort, last.id) : null },
            totalCount: totals.get(id) ?? 0,
          });
        }
      }
      return keys.map((key) => pages.get(`${key.parent}|${groupOf(key)}`)!);
    },
    { cacheKeyFn: (key) => `${key.parent}|${groupOf(key)}` },
  );
}

/** Keys asking for the same page shape (size, cursor, filters) share one query. */
function groupOf(key: ChildPageKey): string {
  return JSON.stringify([key.first, key.after, Object.entries(key.where ?? {}).sort()]);
}

/** The SQL condition and values for "after this cursor" in a newest-first list (Prisma `where`). */
export function afterCursor<S extends string>(
  after: string | null | undefined,
  sortField: S,
  parse: (value: string | number) => unknown,
) {
  if (!after) return {};
  const [value, id] = decodeCursor(after);
  const sort = parse(value);
  return { OR: [{ [sortField]: { lt: sort } }, { [sortField]: sort, id: { lt: id } }] };
}

/** Builds a page from rows fetched newest first with one extra row (to know there is a next page). */
export function pageOf<T extends { id: string }>(
  rows: T[],
  first: number,
  sortOf: (row: T) => Date | string | number,
  totalCount: number,
): Page<T> {
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(sortOf(last), last.id) : null },
    totalCount,
  };
}
