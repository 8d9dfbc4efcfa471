import { GraphQLError } from 'graphql';
import { ErrorCode } from '@bicentennial/schema';

/**
 * Aggregates beside a root list (`Query.drugSeizureAggregates` beside `Query.drugSeizures`):
 * counts, sums and averages of every record the list's filters select, grouped by what the caller
 * asks, computed in the database (`GROUP BY`) by Prisma's `groupBy` — through the same scoped
 * client, with the same `where`, as the list's rows, so releasability holds exactly as it does for
 * them (releasability.ts: `groupBy` and `aggregate` are reads the scoped client filters).
 *
 * Years are grouped by columns the database derives from the record's date (`calendarYear`,
 * `fiscalYear`: generated, stored columns, so GROUP BY and indexes see plain integers; a U.S.
 * fiscal year N runs from 1 October of N-1 to 30 September of N).
 */

/** The most groups one aggregate answers; more is AGGREGATE_GROUP_LIMIT_EXCEEDED, naming the limit. */
export const AGGREGATE_MAX_GROUPS = 1000;

/** What an aggregate groups by and measures: `keys` by GraphQL `XGroupBy` value, their columns. */
export interface GroupingSpec<G extends string, C extends string, M extends string> {
  /** The column each `XGroupBy` value groups by (`US_FISCAL_YEAR: 'fiscalYear'`). */
  keys: Readonly<Record<G, C>>;
  /** The numeric columns counted, summed and averaged (`quantityKg`), none for a count only. */
  measures: readonly M[];
}

/** One group: the columns grouped by (the others absent), its count and its measures. */
export type AggregateGroup<C extends string, M extends string> = Partial<Record<C, unknown>> & {
  /** How many records are in the group. */
  count: number;
  /** By measure, how many of them have a value for it (a sum and an average are over those). */
  counted: Record<M, number>;
  /** By measure, the sum of its values; null when no record of the group has one. */
  sum: Record<M, number | null>;
  /** By measure, the mean of its values; null when no record of the group has one. */
  average: Record<M, number | null>;
};

type Fields<K extends string> = Partial<Record<K, true>>;

/**
 * The part of a Prisma model delegate an aggregate uses (`prisma.drugSeizure`). Prisma's own
 * signatures for these are conditional types no structural type can match, so a subgraph passes
 * its delegate through `groupModel`.
 */
export interface GroupModel<Where> {
  groupBy(args: {
    by: string[];
    where: Where;
    _count: Fields<string> & { _all: true };
    _sum?: Fields<string>;
    _avg?: Fields<string>;
    orderBy: Record<string, 'asc'>[];
    take: number;
  }): Promise<Record<string, unknown>[]>;
  aggregate(args: {
    where: Where;
    _count: Fields<string> & { _all: true };
    _sum?: Fields<string>;
    _avg?: Fields<string>;
  }): Promise<Record<string, unknown>>;
}

/**
 * A Prisma model delegate as a `GroupModel` for `Where`, its filter type: the one cast between
 * Prisma's conditional signatures and the plain calls `rootAggregate` makes.
 */
export function groupModel<Where>(delegate: { groupBy: unknown; aggregate: unknown }): GroupModel<Where> {
  return delegate as unknown as GroupModel<Where>;
}

const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value : Number(value);

/** The groups of `where`'s records by the `groupBy` values given (none: one group, every record). */
export async function rootAggregate<Where, G extends string, C extends string, M extends string>(
  model: GroupModel<Where>,
  spec: GroupingSpec<G, C, M>,
  groupBy: readonly G[] | null | undefined,
  where: () => Where,
): Promise<AggregateGroup<C, M>[]> {
  const columns = [...new Set((groupBy ?? []).map((key) => spec.keys[key]))];
  const filter = where();
  const measures = Object.fromEntries(spec.measures.map((m) => [m, true])) as Fields<string>;
  const counting = { _all: true as const, ...measures };
  const sums = spec.measures.length > 0 ? { _sum: measures, _avg: measures } : {};
  const rows =
    columns.length === 0
      ? [await model.aggregate({ where: filter, _count: counting, ...sums })]
      : await model.groupBy({
          by: columns,
          where: filter,
          _count: counting,
          ...sums,
          orderBy: columns.map((column) => ({ [column]: 'asc' as const })),
          take: AGGREGATE_MAX_GROUPS + 1,
        });
  if (rows.length > AGGREGATE_MAX_GROUPS) {
    throw new GraphQLError(
      `More than ${AGGREGATE_MAX_GROUPS} groups: filter the records or group them by fewer keys.`,
      {
        extensions: {
          code: ErrorCode.AGGREGATE_GROUP_LIMIT_EXCEEDED,
          limit: AGGREGATE_MAX_GROUPS,
          argumentName: 'groupBy',
        },
      },
    );
  }
  return rows.map((row) => {
    const counts = (row['_count'] ?? {}) as Record<string, unknown>;
    const summed = (row['_sum'] ?? {}) as Record<string, unknown>;
    const averaged = (row['_avg'] ?? {}) as Record<string, unknown>;
    const by = (table: Record<string, unknown>) =>
      Object.fromEntries(spec.measures.map((m) => [m, numberOrNull(table[m])])) as Record<M, number | null>;
    return {
      ...(Object.fromEntries(columns.map((column) => [column, row[column]])) as Partial<Record<C, unknown>>),
      count: Number(counts['_all'] ?? 0),
      counted: Object.fromEntries(spec.measures.map((m) => [m, Number(counts[m] ?? 0)])) as Record<M, number>,
      sum: by(summed),
      average: by(averaged),
    };
  });
}

/** A group as a GraphQL `XGroup` type's parent (codegen mappers), its columns untyped. */
export type RecordGroup = AggregateGroup<string, string>;

/** A group's column as the string it holds, or null (a group's key resolvers). */
export function groupKey(group: RecordGroup, column: string): string | null {
  const value = group[column];
  return typeof value === 'string' ? value : null;
}
