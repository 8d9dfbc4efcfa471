import type { PrismaLike } from '@bicentennial/subgraph-kit';
import type { TestSubgraph } from './subgraph';

/** A day at midnight UTC, as a date column holds it. */
export const on = (day: string): Date => new Date(`${day}T00:00:00Z`);
/** Prisma's condition for a date column from `from` to `to`, both inclusive. */
export const between = (from: string, to: string) => ({ gte: on(from), lte: on(to) });

/** The `period` arguments the shared filter tests compare: two U.S. fiscal and two calendar years. */
export const YEARS = {
  fiscal2024: 'period: { years: { kind: US_FISCAL, from: 2024 } }',
  fiscal2025: 'period: { years: { kind: US_FISCAL, from: 2025 } }',
  calendar2023: 'period: { years: { kind: CALENDAR, from: 2023 } }',
  calendar2024: 'period: { years: { kind: CALENDAR, from: 2024 } }',
};

/** What a record on 2023-10-15, then one on 2024-10-15, must add to each of `YEARS`. */
export const BY_YEAR_OF_DAY = [
  // 2023-10-15 is in fiscal year 2024 (from 2023-10-01) and calendar year 2023 ...
  { fiscal2024: 1, fiscal2025: 0, calendar2023: 1, calendar2024: 0 },
  // ... 2024-10-15 in fiscal year 2025 and calendar year 2024.
  { fiscal2024: 0, fiscal2025: 1, calendar2023: 0, calendar2024: 1 },
];

/**
 * How the shared list filter tests ask a test subgraph (README, Lists of records): a list's
 * `totalCount` for some arguments, the refusal of bad ones, and what inserting records adds to
 * each year of `YEARS`. `subgraph` is read when asked (it is started in a `beforeAll`).
 */
export function listFilterProbe(subgraph: () => TestSubgraph<PrismaLike>) {
  /** The list's totalCount with these arguments (GraphQL syntax), which must be accepted. */
  const total = async (list: string, args: string): Promise<number> => {
    const { data, errors } = await subgraph().execute<{ list: { totalCount: number } }>(
      `#graphql\n { list: ${list}(${args}) { totalCount } }`,
    );
    expect([args, errors]).toEqual([args, undefined]);
    return data!.list.totalCount;
  };
  /** The [code, field] of each error the list gives for these arguments, and that they say nothing internal. */
  const refusal = async (list: string, args: string) => {
    const { data, errors } = await subgraph().execute<{ list: unknown }>(
      `#graphql\n { list: ${list}(${args}) { totalCount } }`,
    );
    expect(data?.list ?? null).toBeNull();
    for (const error of errors ?? []) expect(error.message).not.toMatch(/prisma|select |\.ts\b|\n/i);
    return errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);
  };
  const yearTotals = async (list: string) => {
    const totals: Record<string, number> = {};
    for (const [name, period] of Object.entries(YEARS)) totals[name] = await total(list, period);
    return totals;
  };
  /** What a record on 2023-10-15, then one on 2024-10-15, adds to each year's count of `list`. */
  const yearsGained = async (list: string, insert: (day: string, n: number) => Promise<void>) => {
    const gained: Record<string, number>[] = [];
    let before = await yearTotals(list);
    for (const [n, day] of ['2023-10-15', '2024-10-15'].entries()) {
      await insert(day, n);
      const after = await yearTotals(list);
      gained.push(Object.fromEntries(Object.entries(after).map(([name, count]) => [name, count - before[name]!])));
      before = after;
    }
    return gained;
  };
  return { total, refusal, yearsGained };
}
