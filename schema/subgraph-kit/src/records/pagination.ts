import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@bicentennial/schema';
import DataLoader from 'dataloader';
import { badUserInput } from '@bicentennial/service';
import { releasableFor, type Caller } from '@bicentennial/schema';
import type { RawSql } from './idempotency';

/**
 * Every list of records in the graph is a Relay connection paged the same way (README, Lists of
 * records): `first`/`after` forwards, `last`/`before` backwards, in the order `orderBy` names (a
 * field of the list's own enum and a direction, the list's date newest first when left out).
 * Pages are keyset pages on (the order's column, id): a cursor names a position, so a page does
 * not shift when rows are added before it, and one cursor pages both ways.
 */

/** `ASC` or `DESC`, as the shared `OrderDirection` enum has them. */
export type OrderDirection = 'ASC' | 'DESC';

/** SQL type of a list's sort column: what the sort value of its cursors must be. */
export type CursorSortType = 'date' | 'timestamptz' | 'text' | 'float8' | 'int4';

/** A column a list can be ordered by. Only NOT NULL columns: a keyset over nulls has no order. */
export interface SortColumn<C extends string = string> {
  column: C;
  type: CursorSortType;
}

/**
 * The orders a list offers: its `…OrderField` enum values, each with its column, and the value
 * used when `orderBy` is left out (newest first on it).
 */
export interface ListOrder<F extends string = string, C extends string = string> {
  fields: Record<F, SortColumn<C>>;
  default: F;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  orderBy?: { field: string; direction?: OrderDirection | null } | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  nodes: T[];
  /** The cursor of each node, in the same order (the connection's `edges`). */
  cursors: string[];
  pageInfo: PageInfo;
  /**
   * How many rows the list has in all; a function when it is counted only if asked (GraphQL's
   * default resolver calls it), a number when it came with the page.
   */
  totalCount: number | (() => Promise<number>);
}

/** A page size, checked: 1–100. */
function checkedSize(value: number, name: 'first' | 'last'): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`${name} must be between 1 and ${MAX_PAGE_SIZE}`, name);
  }
  return value;
}

/** `first`, checked: 1–100, 20 when not given. */
export function pageSize(first: number | null | undefined): number {
  return first == null ? DEFAULT_PAGE_SIZE : checkedSize(first, 'first');
}

/**
 * The size and way of a page: `first` (forwards) or `last` (backwards), never both; 20 forwards
 * when neither is given.
 */
export function pageSpan(page: PageArgs): { size: number; forward: boolean } {
  if (page.first != null && page.last != null) {
    throw badUserInput('give first (to page forwards) or last (to page backwards), not both', 'last');
  }
  if (page.last != null) return { size: checkedSize(page.last, 'last'), forward: false };
  return { size: pageSize(page.first), forward: true };
}

/**
 * A cursor is the position of an item in one order of a list: the order's field, the item's sort
 * value and its id, opaque to clients.
 */
export function encodeCursor(field: string, sort: Date | string | number, id: string): string {
  const value = sort instanceof Date ? sort.toISOString() : sort;
  return Buffer.from(JSON.stringify([field, value, id])).toString('base64url');
}

type CursorArg = 'after' | 'before';

const notOurCursor = (arg: CursorArg) =>
  badUserInput(
    `${arg} is not a cursor from this list (use pageInfo.${arg === 'after' ? 'endCursor' : 'startCursor'} or an edge's cursor)`,
    arg,
  );

// Paged records have uuid ids (the page queries compare them as uuid, Prisma's @db.Uuid refuses
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

function isSortValue(value: unknown, type: CursorSortType): value is string | number {
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

/** A position in a list: the sort value (as the cursor carries it) and the id. */
export type Position = [string | number, string];

/**
 * The position a cursor names in the order `field` (of type `type`), checked before it goes
 * anywhere near SQL: a JSON triple of the order's field, a sort value of its column's type and a
 * uuid. Anything else (a cursor of another order or list, an edited or a made-up one) is
 * BAD_USER_INPUT naming the argument, never a database error. The pairs the graph gave before
 * lists had orders (`[sort, id]`) are positions in the default order, so a client paging across
 * the upgrade carries on.
 */
export function decodeCursor(
  cursor: string,
  type: CursorSortType,
  options: { field?: string; isDefault?: boolean; arg?: CursorArg } = {},
): Position {
  const arg = options.arg ?? 'after';
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurCursor(arg);
  }
  if (!Array.isArray(value)) throw notOurCursor(arg);
  let sort: unknown;
  let id: unknown;
  if (value.length === 3) {
    const [field, ...rest] = value as unknown[];
    if (options.field !== undefined && field !== options.field) {
      if (typeof field === 'string' && /^[A-Z][A-Z0-9_]*$/.test(field)) {
        throw badUserInput(
          `${arg} is a cursor of the order ${field}, not of ${options.field}: page with the orderBy it was given in`,
          arg,
        );
      }
      throw notOurCursor(arg);
    }
    [sort, id] = rest;
  } else if (value.length === 2 && options.isDefault !== false) {
    [sort, id] = value as unknown[];
  } else {
    throw notOurCursor(arg);
  }
  if (typeof id !== 'string' || !UUID.test(id)) throw notOurCursor(arg);
  if (!isSortValue(sort, type)) throw notOurCursor(arg);
  return [sort, id];
}

/**
 * Everything a page query needs, checked: its size and way, the order's column and direction, and
 * the positions `after` and `before` name in that order.
 */
export interface PageWindow<C extends string = string> {
  size: number;
  /** true: the first `size` rows after `after`; false: the last `size` before `before`. */
  forward: boolean;
  /** The order's enum value (`SEIZED_ON`): what its cursors carry. */
  field: string;
  column: C;
  type: CursorSortType;
  /** The list's order: descending (newest, largest, Z first) or ascending. */
  descending: boolean;
  after: Position | null;
  before: Position | null;
}

/**
 * A page's window from its arguments and the list's orders: bad sizes, a field the list cannot be
 * ordered by and cursors that are not positions in the order are BAD_USER_INPUT naming their
 * argument.
 */
export function pageWindow<F extends string, C extends string>(page: PageArgs, order: ListOrder<F, C>): PageWindow<C> {
  const { size, forward } = pageSpan(page);
  const field = (page.orderBy?.field ?? order.default) as F;
  const sort = Object.prototype.hasOwnProperty.call(order.fields, field) ? order.fields[field] : undefined;
  if (!sort) {
    throw badUserInput(
      `this list cannot be ordered by ${String(field).slice(0, 40)}; it can by ${Object.keys(order.fields).join(', ')}`,
      'orderBy',
    );
  }
  const options = { field, isDefault: field === order.default };
  return {
    size,
    forward,
    field,
    column: sort.column,
    type: sort.type,
    descending: (page.orderBy?.direction ?? 'DESC') === 'DESC',
    after: page.after ? decodeCursor(page.after, sort.type, { ...options, arg: 'after' }) : null,
    before: page.before ? decodeCursor(page.before, sort.type, { ...options, arg: 'before' }) : null,
  };
}

/**
 * Rows fetched in the window's fetch order (the list's order forwards, reversed backwards), at
 * most `size + 1`, as the page: in the list's order, with the cursors and what lies beyond it.
 * `beyond` is whether rows lie on the other side of the cursor the page started from (before
 * `after` forwards, after `before` backwards), as the caller found out.
 */
export function windowPage<T extends { id: string }>(
  window: PageWindow,
  fetched: T[],
  sortOf: (row: T) => Date | string | number,
  beyond: boolean,
  totalCount: Page<T>['totalCount'],
): Page<T> {
  const more = fetched.length > window.size;
  const nodes = fetched.slice(0, window.size);
  if (!window.forward) nodes.reverse();
  const cursors = nodes.map((row) => encodeCursor(window.field, sortOf(row), row.id));
  return {
    nodes,
    cursors,
    pageInfo: {
      hasNextPage: window.forward ? more : beyond,
      hasPreviousPage: window.forward ? beyond : more,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? null,
    },
    totalCount,
  };
}

/** The cursor a page started from: rows beyond it are on the page's other side. */
export function startingPosition(window: PageWindow): Position | null {
  return window.forward ? window.after : window.before;
}

/**
 * A sort value from a cursor as the column's Prisma value: a Date for a date or a time, the
 * number or the text otherwise.
 */
export function sortValue(type: CursorSortType, value: string | number): Date | string | number {
  return type === 'date' || type === 'timestamptz' ? new Date(value) : value;
}

type Comparison = 'lt' | 'gt';

/**
 * Prisma's `where` for (column, id) strictly past (`gt`) or before (`lt`) a position, or at it
 * too when `inclusive`. Written as `column ≥ v AND (column > v OR id > i)` rather than a plain OR,
 * so that PostgreSQL reads it as a range of the (column, id) index.
 */
export function keysetWhere(
  window: PageWindow,
  position: Position,
  comparison: Comparison,
  inclusive = false,
): Record<string, unknown> {
  const value = sortValue(window.type, position[0]);
  const bound = comparison === 'lt' ? 'lte' : 'gte';
  const idComparison = inclusive ? bound : comparison;
  return {
    AND: [
      { [window.column]: { [bound]: value } },
      { OR: [{ [window.column]: { [comparison]: value } }, { id: { [idComparison]: position[1] } }] },
    ],
  };
}

/** Past `after` in the list's order: below it when descending. */
export const afterComparison = (window: PageWindow): Comparison => (window.descending ? 'lt' : 'gt');
/** Before `before` in the list's order: above it when descending. */
export const beforeComparison = (window: PageWindow): Comparison => (window.descending ? 'gt' : 'lt');

/** Whether rows are fetched newest (largest) first: the list's order forwards, reversed backwards. */
export const fetchesDescending = (window: PageWindow): boolean => window.descending === window.forward;

export interface ChildListSpec {
  /** Table (model) name, e.g. `DrugSeizure`. */
  table: string;
  /** Column holding the parent's key, e.g. `portCode`. */
  parentColumn: string;
  /** The orders the list offers (`SEIZED_ON` newest first by default, `QUANTITY`, …). */
  order: ListOrder;
  /**
   * The record's day (`seizedOn`), or the first and last day of the span a statistic covers: what
   * the shared `period` filter compares, as the root list's `RecordColumns.date` (filters.ts).
   */
  date: string | { start: string; end: string };
}

const ident = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return `"${name}"`;
};

/**
 * The key of one page of one parent's child list: the page's arguments, checked when the batch
 * runs (a bad one fails only the fields given it), and equality filters on further columns.
 */
export interface ChildPageKey {
  parent: string;
  page: PageArgs;
  /** Equality filters on further columns (`{ drug: 'FENTANYL' }`); values are bound, never spliced. */
  where?: Record<string, string>;
  /** The shared filters a child list takes (README, Lists of records), checked by `childPage`. */
  shared?: ChildSharedFilters;
}

/** The shared filters of a child list: the period's first and last day (ISO), status, source kind. */
export interface ChildSharedFilters {
  from?: string;
  to?: string;
  status?: string;
  sourceKind?: string;
}

/** SQL parameters, numbered as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** SQL for (column, id) compared with a position: `<`, `>`, or with `=` too. */
function keysetSql(
  params: Params,
  column: string,
  window: PageWindow,
  position: Position,
  comparison: Comparison,
  inclusive = false,
): string {
  const op = (comparison === 'lt' ? '<' : '>') + (inclusive ? '=' : '');
  return `(t.${column}, t."id") ${op} (${params.add(position[0], window.type)}, ${params.add(position[1], 'uuid')})`;
}

/**
 * A per-request loader of one page of children per parent (keyset pagination on the order's
 * column and id, both ways) with each parent's total: whatever the number of parents, one query
 * for the pages' ids and one for the counts per distinct page shape; the caller then loads the
 * rows themselves by id with its own typed loader.
 *
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
        const ids = [...parents];
        let window: PageWindow;
        try {
          window = pageWindow(key.page, spec.order);
        } catch (error) {
          // Only the fields given these arguments fail; the other pages of the batch still load.
          for (const id of ids) pages.set(`${id}|${group}`, error as Error);
          continue;
        }
        const sort = ident(window.column);
        // The list's rows for these parents: released to the caller, matching the filters.
        const listed = (params: Params) => {
          const filters = [`t.${parent} = ANY(${params.add(ids, 'text[]')})`];
          filters.push(`t."releasableTo"::text = ANY(${params.add(releasableFor(caller), 'text[]')})`);
          for (const [column, value] of Object.entries(key.where ?? {}).sort()) {
            filters.push(`t.${ident(column)}::text = ${params.add(value)}`);
          }
          // The shared filters, meaning what they mean on the root lists (filters.ts): a record is
          // in a period when its day is, or its whole span; a source kind is its source's.
          const { from, to, status, sourceKind } = key.shared ?? {};
          const [start, end] =
            typeof spec.date === 'string' ? [spec.date, spec.date] : [spec.date.start, spec.date.end];
          if (from) filters.push(`t.${ident(start)} >= ${params.add(from, 'date')}`);
          if (to) filters.push(`t.${ident(end)} <= ${params.add(to, 'date')}`);
          if (status) filters.push(`t."status"::text = ${params.add(status)}`);
          if (sourceKind) {
            filters.push(
              `EXISTS (SELECT 1 FROM "Source" s WHERE s."id" = t."sourceId" AND s."kind"::text = ${params.add(sourceKind)})`,
            );
          }
          return filters;
        };
        const rowParams = new Params();
        const filters = listed(rowParams);
        if (window.after) filters.push(keysetSql(rowParams, sort, window, window.after, afterComparison(window)));
        if (window.before) filters.push(keysetSql(rowParams, sort, window, window.before, beforeComparison(window)));
        const direction = fetchesDescending(window) ? 'DESC' : 'ASC';
        const limit = rowParams.add(window.size + 1, 'int');
        const rows = await sql.$queryRawUnsafe<{ parent: string; id: string; sort: Date | string | number }[]>(
          `SELECT parent, id, sort FROM (
             SELECT t.${parent} AS parent, t."id"::text AS id, t.${sort} AS sort,
                    ROW_NUMBER() OVER (PARTITION BY t.${parent} ORDER BY t.${sort} ${direction}, t."id" ${direction}) AS n
             FROM ${table} t
             WHERE ${filters.join(' AND ')}
           ) ranked
           WHERE n <= ${limit}
           ORDER BY parent, n`,
          ...rowParams.values,
        );
        // The totals, and how many rows lie on the far side of the cursor the page started from.
        const countParams = new Params();
        const countFilters = listed(countParams);
        const start = startingPosition(window);
        const beyondSql = start
          ? `count(*) FILTER (WHERE ${keysetSql(
              countParams,
              sort,
              window,
              start,
              window.forward ? beforeComparison(window) : afterComparison(window),
              true,
            )})::int`
          : '0';
        const counts = await sql.$queryRawUnsafe<{ parent: string; total: number; beyond: number }[]>(
          `SELECT t.${parent} AS parent, count(*)::int AS total, ${beyondSql} AS beyond FROM ${table} t
           WHERE ${countFilters.join(' AND ')} GROUP BY t.${parent}`,
          ...countParams.values,
        );
        const totals = new Map(counts.map((c) => [c.parent, c]));
        const byParent = new Map<string, { id: string; sort: Date | string | number }[]>();
        for (const row of rows) {
          const list = byParent.get(row.parent) ?? [];
          list.push(row);
          byParent.set(row.parent, list);
        }
        for (const id of ids) {
          const counted = totals.get(id);
          const page = windowPage(
            window,
            byParent.get(id) ?? [],
            (row) => row.sort,
            Number(counted?.beyond ?? 0) > 0,
            Number(counted?.total ?? 0),
          );
          pages.set(`${id}|${group}`, { ...page, nodes: page.nodes.map((row) => row.id) });
        }
      }
      return keys.map((key) => pages.get(`${key.parent}|${groupOf(key)}`)!);
    },
    { cacheKeyFn: (key) => `${key.parent}|${groupOf(key)}` },
  );
}

/** Keys asking for the same page shape (size, way, cursors, order, filters) share one query. */
function groupOf(key: ChildPageKey): string {
  const { first, after, last, before, orderBy } = key.page;
  return JSON.stringify([
    first ?? null,
    after ?? null,
    last ?? null,
    before ?? null,
    orderBy?.field ?? null,
    orderBy?.direction ?? null,
    Object.entries(key.where ?? {}).sort(),
    key.shared ?? null,
  ]);
}
