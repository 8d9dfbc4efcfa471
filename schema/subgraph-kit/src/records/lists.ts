import type DataLoader from 'dataloader';
import { badUserInput } from '@bicentennial/service';
import {
  afterComparison,
  beforeComparison,
  fetchesDescending,
  keysetWhere,
  pageSpan,
  pageWindow,
  startingPosition,
  windowPage,
  type childPageLoader,
  type ChildPageKey,
  type ListOrder,
  type Page,
  type PageArgs,
} from './pagination';
import { periodFilterBounds, type PeriodArg } from './filters';
import { idPage, type IdPage } from './refs';

type Direction = 'asc' | 'desc';

/**
 * The part of a Prisma model delegate (`prisma.drugSeizure`) a root list uses, written
 * structurally so that each subgraph's own generated client fits as it is.
 */
export interface RootListModel<Row, Where, C extends string> {
  findMany(args: {
    where: { AND: [Where, ...Record<string, unknown>[]] };
    orderBy: [Partial<Record<C, Direction>>, { id: Direction }];
    take: number;
  }): Promise<Row[]>;
  count(args: { where: Where }): Promise<number>;
}

/**
 * One page of a root list (`Query.drugSeizures(…, first, after, last, before, orderBy)`): the rows
 * matching `where` in the order asked for, keyset paged both ways (pagination.ts). `totalCount`
 * is counted only when the query selects it. `where` is called once the page's arguments are
 * checked, so a bad `first` or cursor is the error reported whatever else is wrong.
 */
export async function rootPage<
  Row extends { id: string } & Record<C, unknown>,
  Where,
  F extends string,
  C extends string,
>(
  model: NoInfer<RootListModel<Row, Where, C>>,
  order: ListOrder<F, C>,
  page: PageArgs,
  where: () => Where,
): Promise<Page<Row>> {
  const window = pageWindow(page, order);
  const filter = where();
  const bounds: Record<string, unknown>[] = [];
  if (window.after) bounds.push(keysetWhere(window, window.after, afterComparison(window)));
  if (window.before) bounds.push(keysetWhere(window, window.before, beforeComparison(window)));
  const direction: Direction = fetchesDescending(window) ? 'desc' : 'asc';
  // A computed key widens to `string`: this is the one object of type Record<C, Direction>.
  const sorted = { [window.column]: direction } as Record<C, Direction>;
  const start = startingPosition(window);
  const outwards: Direction = direction === 'desc' ? 'asc' : 'desc';
  const [rows, beyond] = await Promise.all([
    model.findMany({
      where: { AND: [filter, ...bounds] },
      orderBy: [sorted, { id: direction }],
      take: window.size + 1,
    }),
    // Is there a row on the far side of the cursor the page started from (hasPreviousPage
    // forwards, hasNextPage backwards)? One row of the same index, read from the cursor outwards.
    start
      ? model
          .findMany({
            where: {
              AND: [
                filter,
                keysetWhere(window, start, window.forward ? beforeComparison(window) : afterComparison(window), true),
              ],
            },
            orderBy: [{ [window.column]: outwards } as Record<C, Direction>, { id: outwards }],
            take: 1,
          })
          .then((found) => found.length > 0)
      : Promise.resolve(false),
  ]);
  return windowPage(
    window,
    rows,
    (row) => row[window.column] as Date | string | number,
    beyond,
    () => model.count({ where: filter }),
  );
}

/**
 * A root list's page as the connection's `nodes` read it: ids, each row primed in `loader`.
 */
export async function rootList<
  Row extends { id: string } & Record<C, unknown>,
  Where,
  F extends string,
  C extends string,
>(
  model: NoInfer<RootListModel<Row, Where, C>>,
  loader: DataLoader<string, Row | null>,
  order: ListOrder<F, C>,
  page: PageArgs,
  where: () => Where,
): Promise<IdPage> {
  return idPage(await rootPage<Row, Where, F, C>(model, order, page, where), (row) => loader.prime(row.id, row));
}

/**
 * A root list's filter on the date column `field` from `from` to `to`, both inclusive, either
 * left out; `from` after `to` is BAD_USER_INPUT naming `from`.
 */
export function dateRange<F extends string>(
  field: F,
  from: Date | string | null | undefined,
  to: Date | string | null | undefined,
) {
  if (from && to && new Date(from) > new Date(to)) throw badUserInput('from must not be after to', 'from');
  if (!from && !to) return {};
  return { [field]: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lte: new Date(to) } : {}) } };
}

/** A per-request loader of a child list's pages (`loaders.seizuresByPort`), as `childPageLoader` makes it. */
export type ChildPageLoader = ReturnType<typeof childPageLoader>;

/** The shared filters a child list field takes beside its page (README, Lists of records). */
export interface ChildFilterArgs {
  period?: PeriodArg | null;
  status?: string | null;
  sourceKind?: string | null;
}

const isoDay = (day: Date | null) => (day ? day.toISOString().slice(0, 10) : undefined);

/**
 * The key of one page of a child list field (`PortOfEntry.drugSeizures(drug, period, first, …)`)
 * for a `childPageLoader`: its sizes and its `period` checked now (the cursors and order when the
 * batch runs), the shared filters given (`period`, `status`, `sourceKind`, meaning what they mean
 * on the root lists), and the list's own equality filters that were given (`{ drug }`).
 */
export function childPage(
  parent: string,
  page: PageArgs & ChildFilterArgs,
  filters: Record<string, string | null | undefined> = {},
): ChildPageKey {
  pageSpan(page);
  const { from, to } = periodFilterBounds(page.period);
  const shared = Object.fromEntries(
    Object.entries({
      from: isoDay(from),
      to: isoDay(to),
      status: page.status ?? undefined,
      sourceKind: page.sourceKind ?? undefined,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const given = Object.entries(filters).filter((entry): entry is [string, string] => entry[1] != null);
  const { first, after, last, before, orderBy } = page;
  return {
    parent,
    page: { first, after, last, before, orderBy },
    ...(given.length > 0 ? { where: Object.fromEntries(given) } : {}),
    ...(Object.keys(shared).length > 0 ? { shared } : {}),
  };
}
