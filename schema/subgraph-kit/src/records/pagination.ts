import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@bicentennial/schema';
import DataLoader from 'dataloader';
import { badUserInput } from '@bicentennial/service';
import { releasableFor, type Caller } from '@bicentennial/schema';
import type { RawSql } from './idempotency';

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

/** SQL type of a list's sort column: what the sort value of its cursors must be. */
export type CursorSortType = 'date' | 'timestamptz' | 'text' | 'float8' | 'int4';

const notOurCursor = () => badUserInput('after is not a cursor from this list (use pageInfo.endCursor)', 'after');

// Paged records have uuid ids (childPageLoader compares them as uuid, Prisma's @db.Uuid refuses
// anything else in a query): anything else in a cursor would reach the database as a cast error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// What encodeCursor writes for a date or time (toISOString), or a bare date as a database driver
// may return one for a date column.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2}))?$/;

/** `2024-02-30` parses in JavaScript (as 1 March): the day must exist in its month, too. */
function isDateTime(value: string): boolean {
  const match = ISO_DATE_TIME.exec(value);
  if (!match || Number.isNaN(new Date(value).getTime())) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

function isSortValue(value: unknown, type: CursorSortType): boolean {
  switch (type) {
    case 'date':
    case 'timestamptz':
      return typeof value === 'string' && isDateTime(value);
    case 'text':
      return typeof value === 'string';
    case 'float8':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int4':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1;
  }
}

/** A cursor's pair, its id checked: the sort value is left to the caller, who knows its type. */
function decodePosition(cursor: string): [unknown, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurCursor();
  }
  if (!Array.isArray(value) || value.length !== 2) throw notOurCursor();
  const [sort, id] = value as unknown[];
  if (typeof id !== 'string' || !UUID.test(id)) throw notOurCursor();
  return [sort, id];
}

/**
 * The position a cursor names, checked before it goes anywhere near SQL: a JSON pair of a sort
 * value of the list's sort column type and a uuid. Anything else (a cursor from another list, an
 * edited or a made-up one) is BAD_USER_INPUT naming `after`, never a database error.
 */
export function decodeCursor(cursor: string, sortType: CursorSortType): [string | number, string] {
  const [sort, id] = decodePosition(cursor);
  if (!isSortValue(sort, sortType)) throw notOurCursor();
  return [sort as string | number, id];
}

export interface ChildListSpec {
  /** Table (model) name, e.g. `DrugSeizure`. */
  table: string;
  /** Column holding the parent's key, e.g. `portCode`. */
  parentColumn: string;
  /** Column the list is ordered by, newest first, e.g. `seizedOn`. */
  sortColumn: string;
  /** SQL type of the sort column, for the cursor comparison (`date`, `timestamptz`, `text`, `float8`). */
  sortType: CursorSortType;
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

/**
 * `caller` decides which rows exist for this request: only those released to its country (see
 * releasability.ts), in the pages and in their totals alike.
 */
export function childPageLoader(
  sql: RawSql,
  spec: ChildListSpec,
  caller: Caller,
): DataLoader<ChildPageKey, Page<string>, string> {
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
      const pages = new Map<string, Page<string> | Error>();
      for (const [group, { key, parents }] of groups) {
        const { first, after } = key;
        const ids = [...parents];
        let position: [string | number, string] | undefined;
        try {
          position = after ? decodeCursor(after, spec.sortType) : undefined;
        } catch (error) {
          // Only the fields given this cursor fail; the other pages of the batch still load.
          for (const id of ids) pages.set(`${id}|${group}`, error as Error);
          continue;
        }
        const params: unknown[] = [ids, first + 1, releasableFor(caller)];
        const filters: string[] = [`t."releasableTo"::text = ANY($3::text[])`];
        for (const [column, value] of Object.entries(key.where ?? {}).sort()) {
          params.push(value);
          filters.push(`t.${ident(column)}::text = $${params.length}`);
        }
        const countParams = [ids, ...params.slice(2)];
        const countFilters = filters.map((f) => f.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) - 1}`));
        if (position) {
          const [value, id] = position;
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

/**
 * The SQL condition and values for "after this cursor" in a newest-first list (Prisma `where`).
 * `parse` turns the cursor's sort value into the column's (`toDate` for a date column). What it
 * gives tells the column's type (a `Date`: a date or time; a number; else text), and the cursor's
 * value must be that type's as encodeCursor writes it: `[12345, id]` parses to a valid Date but
 * is no date cursor, and `["x", id]` parses to an invalid one that Prisma would send to the database.
 */
export function afterCursor<S extends string>(
  after: string | null | undefined,
  sortField: S,
  parse: (value: string | number) => unknown,
) {
  if (!after) return {};
  const [value, id] = decodePosition(after);
  if (typeof value !== 'string' && typeof value !== 'number') throw notOurCursor();
  const sort = parse(value);
  const type: CursorSortType = sort instanceof Date ? 'timestamptz' : typeof sort === 'number' ? 'float8' : 'text';
  if (!isSortValue(value, type)) throw notOurCursor();
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
