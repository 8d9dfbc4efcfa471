import type DataLoader from 'dataloader';
import { badUserInput } from '@bicentennial/service';
import { afterCursor, pageOf, pageSize, type childPageLoader, type ChildPageKey, type PageArgs } from './pagination';
import { idPage, type IdPage } from './refs';

/** Every root list is newest first on a date column, then by id (the keyset its cursors name). */
type NewestFirst<S extends string> = [Record<S, 'desc'>, { id: 'desc' }];

/**
 * The part of a Prisma model delegate (`prisma.drugSeizure`) a root list uses, written
 * structurally so that each subgraph's own generated client fits as it is.
 */
export interface RootListModel<Row, Where, S extends string> {
  findMany(args: {
    where: { AND: [Where, ReturnType<typeof afterCursor<S>>] };
    orderBy: NewestFirst<S>;
    take: number;
  }): Promise<Row[]>;
  count(args: { where: Where }): Promise<number>;
}

const toDate = (value: string | number) => new Date(value);

/**
 * One page of a root list field (`Query.drugSeizures(…, first, after)`): the rows matching
 * `where`, newest first on the date column `sort`, at most `first` after the cursor `after`, with
 * the list's total; each row is primed in `loader`, which the connection's `nodes` read. `where`
 * is called once `first` is checked, so a bad `first` is the error reported whatever else is wrong.
 */
export async function rootList<Row extends { id: string } & Record<S, Date>, Where, S extends string>(
  model: NoInfer<RootListModel<Row, Where, S>>,
  loader: DataLoader<string, Row | null>,
  sort: S,
  page: PageArgs,
  where: () => Where,
): Promise<IdPage> {
  const first = pageSize(page.first);
  const filter = where();
  // A computed key widens to `string`: this is the one object of type Record<S, 'desc'>.
  const newest = { [sort]: 'desc' } as Record<S, 'desc'>;
  const [rows, total] = await Promise.all([
    model.findMany({
      where: { AND: [filter, afterCursor(page.after, sort, toDate)] },
      orderBy: [newest, { id: 'desc' }],
      take: first + 1,
    }),
    model.count({ where: filter }),
  ]);
  return idPage(
    pageOf(rows, first, (row) => row[sort], total),
    (row) => loader.prime(row.id, row),
  );
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

/**
 * The key of one page of a child list field (`PortOfEntry.drugSeizures(drug, first, after)`) for
 * a `childPageLoader`: `first` checked, and the equality filters that were given (`{ drug }`).
 */
export function childPage(
  parent: string,
  page: PageArgs,
  filters: Record<string, string | null | undefined> = {},
): ChildPageKey {
  const given = Object.entries(filters).filter((entry): entry is [string, string] => entry[1] != null);
  return {
    parent,
    first: pageSize(page.first),
    after: page.after ?? null,
    ...(given.length > 0 ? { where: Object.fromEntries(given) } : {}),
  };
}
