import { programmeObjective } from '@bicentennial/seeds/synthetic/publicHealth';
import { periodBounds } from '@bicentennial/subgraph-kit';
import {
  describeOn,
  startTestSubgraph,
  TEST_CALLER_MX,
  TEST_DATABASES,
  type TestSubgraph,
} from '@bicentennial/testing';
import type { HomicideStatistic, PrismaClient, Programme } from '../generated/prisma/client';
import * as publicHealth from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';

type Caller = typeof TEST_CALLER_MX;
type Key = Record<string, string | number | null>;

/** A U.S. fiscal year N runs from 1 October of N-1 to 30 September of N. */
const fiscalYearOf = (day: Date) => day.getUTCFullYear() + (day.getUTCMonth() >= 9 ? 1 : 0);

/** The rows by key, in JavaScript, for comparison with the database's groups. */
function byKey<R>(rows: R[], keyOf: (row: R) => Key) {
  const groups = new Map<string, { key: Key; rows: R[] }>();
  for (const row of rows) {
    const key = keyOf(row);
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  return [...groups.values()];
}

/** What a measure adds up to over `values` (nulls left out): how many, total and mean, null when none. */
function measure(values: (number | null)[]) {
  const stated = values.filter((v): v is number => v !== null);
  const total = stated.reduce((sum, v) => sum + v, 0);
  return {
    counted: stated.length,
    total: stated.length > 0 ? total : null,
    average: stated.length > 0 ? total / stated.length : null,
  };
}

/** A float to compare: close to, not exactly, what JavaScript adds up (the database sums in its own order). */
const near = (value: number | null): unknown => (value === null ? null : (expect.closeTo(value, 3) as unknown));

/** Sorted by key, so that the database's groups and JavaScript's compare whatever their order. */
const sortedByKey = <T extends { key: string }>(groups: T[]) => [...groups].sort((a, b) => a.key.localeCompare(b.key));

// ---------------------------------------------------------------------------------------------
// Homicide statistics. Besides the seeded INEGI and SESNSP figures, this test's own figures (the
// synthetic source, clearly not real counts): for 2022, Sonora's year, its two half years and its
// twelve months, each larger period the sum of its months (so a total over mixed period kinds
// visibly counts the year three times); Zacatecas's and the national figures over the same
// periods, some with only a rate, released to the United States, Mexico or both.
// ---------------------------------------------------------------------------------------------

const FIXTURE_NOTE = 'Aggregate test fixture (synthetic, not a real count)';
const MONTHS = Array.from({ length: 12 }, (_, i) => `2022-${String(i + 1).padStart(2, '0')}`);
/** Sonora's synthetic monthly homicides in 2022. */
const SONORA_MONTHS = MONTHS.map((_, i) => 100 + 7 * i);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const SONORA_YEAR = sum(SONORA_MONTHS);
const RELEASES = ['BOTH', 'US', 'MX'] as const;

function homicideFixtures() {
  const periods: [string, 'CALENDAR_YEAR' | 'HALF_YEAR' | 'MONTH', number][] = [
    ['2022', 'CALENDAR_YEAR', SONORA_YEAR],
    ['2022-H1', 'HALF_YEAR', sum(SONORA_MONTHS.slice(0, 6))],
    ['2022-H2', 'HALF_YEAR', sum(SONORA_MONTHS.slice(6))],
    ...MONTHS.map((m, i) => [m, 'MONTH', SONORA_MONTHS[i]!] as [string, 'MONTH', number]),
  ];
  return periods.flatMap(([period, periodKind, sonora], n) => {
    const { start, end } = periodBounds(periodKind, period)!;
    const base = {
      period,
      periodKind,
      periodStart: start,
      periodEnd: end,
      objectiveId: '1.3.1',
      measure: 'SESNSP_VICTIMS' as const,
      status: 'PROVISIONAL' as const,
      sourceId: SYNTHETIC_SOURCE_ID,
      note: FIXTURE_NOTE,
      recordedBy: 'test',
    };
    const rateOnly = n % 4 === 3;
    return [
      { ...base, regionCode: 'MX-SON', count: sonora, countQualifier: 'EXACT' as const, releasableTo: 'BOTH' as const },
      {
        ...base,
        regionCode: 'MX-ZAC',
        count: rateOnly ? null : 40 + n,
        countQualifier: rateOnly ? null : ('EXACT' as const),
        ratePer100k: rateOnly ? 1.5 : null,
        releasableTo: RELEASES[n % 3]!,
      },
      {
        ...base,
        regionCode: 'MX',
        count: 2000 + 50 * n,
        countQualifier: 'EXACT' as const,
        releasableTo: RELEASES[(n + 1) % 3]!,
      },
    ];
  });
}

interface HomicideGroup {
  calendarYear: number | null;
  fiscalYear: number | null;
  periodKind: string | null;
  region: { code: string } | null;
  measure: string | null;
  status: string | null;
  source: { id: string } | null;
  count: number;
  reportedCount: number;
  totalHomicides: number | null;
  averageHomicides: number | null;
}
const HOMICIDE_GROUP =
  'calendarYear fiscalYear periodKind region { code } measure status source { id } count reportedCount totalHomicides averageHomicides';
type HomicideKey = 'calendarYear' | 'fiscalYear' | 'periodKind' | 'region' | 'measure' | 'status' | 'source';

/** A homicide group's keys as `byKey` keys them (entities by code or id), only those grouped by. */
function homicideKeyOf(group: HomicideGroup, keys: readonly HomicideKey[]): Key {
  const value = (k: HomicideKey) => {
    const v = group[k];
    return v === null ? null : typeof v === 'object' ? ('code' in v ? v.code : v.id) : v;
  };
  return Object.fromEntries(keys.map((k) => [k, value(k)]));
}

const HOMICIDE_COLUMN: Record<HomicideKey, (r: HomicideStatistic) => string | number> = {
  calendarYear: (r) => r.periodStart.getUTCFullYear(),
  fiscalYear: (r) => fiscalYearOf(r.periodStart),
  periodKind: (r) => r.periodKind,
  region: (r) => r.regionCode,
  measure: (r) => r.measure,
  status: (r) => r.status,
  source: (r) => r.sourceId,
};

function expectedHomicideGroups(rows: HomicideStatistic[], keys: readonly HomicideKey[]) {
  return sortedByKey(
    byKey(rows, (r) => Object.fromEntries(keys.map((k) => [k, HOMICIDE_COLUMN[k](r)]))).map(
      ({ key, rows: members }) => {
        const homicides = measure(members.map((r) => r.count));
        return {
          key: JSON.stringify(key),
          count: members.length,
          reportedCount: homicides.counted,
          totalHomicides: homicides.total,
          averageHomicides: near(homicides.average),
        };
      },
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Programmes: the seeded ones and 3,000 synthetic programmes (seed 11).
// ---------------------------------------------------------------------------------------------

interface ProgrammeGroup {
  calendarYear: number | null;
  fiscalYear: number | null;
  country: { code: string } | null;
  region: { code: string } | null;
  kind: string | null;
  objective: { id: string } | null;
  status: string | null;
  count: number;
  fundedCount: number;
  totalFundingUsd: number | null;
  averageFundingUsd: number | null;
  reachedCount: number;
  totalPeopleReached: number | null;
  averagePeopleReached: number | null;
}
const PROGRAMME_GROUP =
  'calendarYear fiscalYear country { code } region { code } kind objective { id } status count fundedCount totalFundingUsd averageFundingUsd reachedCount totalPeopleReached averagePeopleReached';
type ProgrammeKey = 'calendarYear' | 'fiscalYear' | 'country' | 'region' | 'kind' | 'objective' | 'status';

function programmeKeyOf(group: ProgrammeGroup, keys: readonly ProgrammeKey[]): Key {
  const value = (k: ProgrammeKey) => {
    const v = group[k];
    return v === null ? null : typeof v === 'object' ? ('code' in v ? v.code : v.id) : v;
  };
  return Object.fromEntries(keys.map((k) => [k, value(k)]));
}

const PROGRAMME_COLUMN: Record<ProgrammeKey, (r: Programme) => string | number | null> = {
  calendarYear: (r) => r.startedOn.getUTCFullYear(),
  fiscalYear: (r) => fiscalYearOf(r.startedOn),
  country: (r) => r.countryCode,
  region: (r) => r.regionCode,
  kind: (r) => r.kind,
  objective: (r) => r.objectiveId,
  status: (r) => r.status,
};

function expectedProgrammeGroups(rows: Programme[], keys: readonly ProgrammeKey[]) {
  return sortedByKey(
    byKey(rows, (r) => Object.fromEntries(keys.map((k) => [k, PROGRAMME_COLUMN[k](r)]))).map(
      ({ key, rows: members }) => {
        const funding = measure(members.map((r) => r.fundingUsd));
        const people = measure(members.map((r) => r.peopleReached));
        return {
          key: JSON.stringify(key),
          count: members.length,
          fundedCount: funding.counted,
          totalFundingUsd: near(funding.total),
          averageFundingUsd: near(funding.average),
          reachedCount: people.counted,
          totalPeopleReached: people.total,
          averagePeopleReached: near(people.average),
        };
      },
    ),
  );
}

for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`public-health aggregates on ${database.name}`, () => {
    let subgraph: TestSubgraph<PrismaClient>;
    let homicides: HomicideStatistic[];
    let programmes: Programme[];

    beforeAll(async () => {
      subgraph = await startTestSubgraph(publicHealth, { on: database.kind });
      await loadSynthetic(subgraph.prisma, { seed: 11, programmes: 3000 });
      await subgraph.prisma.homicideStatistic.createMany({ data: homicideFixtures() });
      homicides = await subgraph.prisma.homicideStatistic.findMany();
      programmes = await subgraph.prisma.programme.findMany();
    }, 180_000);
    afterAll(() => subgraph?.close());

    /** The U.S. test caller reads what is released to the United States and to both; a Mexican caller, to Mexico and both. */
    const releasedTo = (caller?: Caller) => (r: { releasableTo: string }) =>
      r.releasableTo !== (caller === TEST_CALLER_MX ? 'US' : 'MX');

    const run = async <T>(query: string, as?: Caller) => {
      const { data, errors } = await subgraph.execute<T>(`#graphql\n ${query}`, undefined, as ? { as } : undefined);
      expect(errors).toBeUndefined();
      return data!;
    };
    const homicideGroups = async (args: string, as?: Caller) =>
      (
        await run<{ groups: HomicideGroup[] }>(
          `{ groups: homicideStatisticAggregates${args ? `(${args})` : ''} { ${HOMICIDE_GROUP} } }`,
          as,
        )
      ).groups;
    const programmeGroups = async (args: string, as?: Caller) =>
      (
        await run<{ groups: ProgrammeGroup[] }>(
          `{ groups: programmeAggregates${args ? `(${args})` : ''} { ${PROGRAMME_GROUP} } }`,
          as,
        )
      ).groups;
    const comparableHomicides = (groups: HomicideGroup[], keys: readonly HomicideKey[]) =>
      sortedByKey(
        groups.map((g) => ({
          key: JSON.stringify(homicideKeyOf(g, keys)),
          count: g.count,
          reportedCount: g.reportedCount,
          totalHomicides: g.totalHomicides,
          averageHomicides: g.averageHomicides,
        })),
      );
    const comparableProgrammes = (groups: ProgrammeGroup[], keys: readonly ProgrammeKey[]) =>
      sortedByKey(
        groups.map((g) => ({
          key: JSON.stringify(programmeKeyOf(g, keys)),
          count: g.count,
          fundedCount: g.fundedCount,
          totalFundingUsd: g.totalFundingUsd,
          averageFundingUsd: g.averageFundingUsd,
          reachedCount: g.reachedCount,
          totalPeopleReached: g.totalPeopleReached,
          averagePeopleReached: g.averagePeopleReached,
        })),
      );

    it('groups homicide statistics by period kind, region and year in the database, as the rows add up', async () => {
      const keys = ['periodKind', 'region', 'calendarYear'] as const;
      const groups = await homicideGroups('groupBy: [PERIOD_KIND, REGION, CALENDAR_YEAR]');
      const released = homicides.filter(releasedTo());
      expect(released.length).toBeGreaterThan(40);
      expect(comparableHomicides(groups, keys)).toEqual(expectedHomicideGroups(released, keys));
      // Only the keys grouped by are set; groups come in ascending order of their keys.
      expect(groups.every((g) => g.fiscalYear === null && g.measure === null && g.source === null)).toBe(true);
      const kinds = groups.map((g) => g.periodKind);
      // An enum in its declared order (PeriodKind: CALENDAR_YEAR, FISCAL_YEAR, HALF_YEAR, MONTH, …).
      expect([...new Set(kinds)]).toEqual(['CALENDAR_YEAR', 'HALF_YEAR', 'MONTH']);
      for (const kind of new Set(kinds)) {
        const within = groups.filter((g) => g.periodKind === kind).map((g) => [g.region!.code, g.calendarYear!]);
        expect(within).toEqual(
          [...within].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : Number(a[1]) - Number(b[1]))),
        );
      }
    });

    it('keeps a year apart from its own half years and months, and a country from its states, only when grouped so', async () => {
      const sonora = 'region: "MX-SON", sourceKind: SYNTHETIC';
      // Grouped by year alone, Sonora's 2022 adds its year, half years and months: three times the year.
      const [mixed] = await homicideGroups(`${sonora}, groupBy: [CALENDAR_YEAR]`);
      expect(mixed).toMatchObject({ calendarYear: 2022, count: 15, totalHomicides: 3 * SONORA_YEAR });
      // By period kind too, each kind's total is the year's.
      const apart = await homicideGroups(`${sonora}, groupBy: [CALENDAR_YEAR, PERIOD_KIND]`);
      expect(apart.map((g) => [g.periodKind, g.count, g.totalHomicides])).toEqual([
        ['CALENDAR_YEAR', 1, SONORA_YEAR],
        ['HALF_YEAR', 2, SONORA_YEAR],
        ['MONTH', 12, SONORA_YEAR],
      ]);
      // `region: "MX"` selects the national figures and every state's; REGION keeps them apart.
      const national = await homicideGroups('region: "MX", sourceKind: SYNTHETIC, groupBy: [REGION, PERIOD_KIND]');
      expect([...new Set(national.map((g) => g.region!.code))]).toEqual(['MX', 'MX-SON', 'MX-ZAC']);
      const released = homicides.filter((r) => releasedTo()(r) && r.sourceId === SYNTHETIC_SOURCE_ID);
      expect(comparableHomicides(national, ['region', 'periodKind'])).toEqual(
        expectedHomicideGroups(released, ['region', 'periodKind']),
      );
    });

    it('applies the list filters exactly as homicideStatistics does, and releasability per caller', async () => {
      const args =
        'region: "MX-ZAC", measure: SESNSP_VICTIMS, status: PROVISIONAL, period: { years: { kind: CALENDAR, from: 2022 } }';
      const { list, all } = await run<{ list: { totalCount: number }; all: HomicideGroup[] }>(
        `{ list: homicideStatistics(${args}) { totalCount } all: homicideStatisticAggregates(${args}) { ${HOMICIDE_GROUP} } }`,
      );
      expect(all).toHaveLength(1);
      expect(all[0]!.count).toBe(list.totalCount);
      const selected = homicides.filter(
        (r) =>
          releasedTo()(r) &&
          r.regionCode === 'MX-ZAC' &&
          r.measure === 'SESNSP_VICTIMS' &&
          r.status === 'PROVISIONAL' &&
          r.periodStart >= new Date('2022-01-01T00:00:00Z') &&
          r.periodEnd <= new Date('2022-12-31T00:00:00Z'),
      );
      expect(selected.length).toBeGreaterThan(0);
      expect(comparableHomicides(all, [])).toEqual(expectedHomicideGroups(selected, []));

      // The same for the seeded official figures of one country (national and state).
      const official = 'country: "MX", sourceKind: OFFICIAL, measure: INEGI_DEATH_CERTIFICATES';
      const both = await run<{ list: { totalCount: number }; all: HomicideGroup[] }>(
        `{ list: homicideStatistics(${official}) { totalCount } all: homicideStatisticAggregates(${official}) { count } }`,
      );
      expect(both.all).toEqual([{ count: both.list.totalCount }]);

      // A Mexican caller counts what is released to Mexico and to both, never the U.S.-only rows.
      const keys = ['measure', 'status', 'source', 'fiscalYear'] as const;
      const mexican = await homicideGroups('groupBy: [MEASURE, STATUS, SOURCE, US_FISCAL_YEAR]', TEST_CALLER_MX);
      const forMexico = homicides.filter(releasedTo(TEST_CALLER_MX));
      expect(forMexico.length).toBeLessThan(homicides.length);
      expect(comparableHomicides(mexican, keys)).toEqual(expectedHomicideGroups(forMexico, keys));
    });

    it('puts a figure by the fiscal year of its first day: September and October 2022 in different years', async () => {
      const groups = await homicideGroups(
        'region: "MX-SON", sourceKind: SYNTHETIC, groupBy: [US_FISCAL_YEAR, PERIOD_KIND]',
      );
      expect(groups.map((g) => [g.fiscalYear, g.periodKind, g.count, g.totalHomicides])).toEqual([
        // The year (from 1 January) and both half years (from 1 January and 1 July) start in FY2022.
        [2022, 'CALENDAR_YEAR', 1, SONORA_YEAR],
        [2022, 'HALF_YEAR', 2, SONORA_YEAR],
        // January to September 2022 are in FY2022; October (from 1 October) to December in FY2023.
        [2022, 'MONTH', 9, sum(SONORA_MONTHS.slice(0, 9))],
        [2023, 'MONTH', 3, sum(SONORA_MONTHS.slice(9))],
      ]);
    });

    it('groups programmes by country, state and kind in the database, with funding and people reached', async () => {
      const keys = ['country', 'region', 'kind'] as const;
      const groups = await programmeGroups('groupBy: [COUNTRY, REGION, KIND]');
      const released = programmes.filter(releasedTo());
      expect(released.length).toBeGreaterThan(2000);
      expect(comparableProgrammes(groups, keys)).toEqual(expectedProgrammeGroups(released, keys));
      expect(groups.every((g) => g.calendarYear === null && g.objective === null && g.status === null)).toBe(true);
      // Binational programmes (no country) are a group of their own, after the countries.
      const countries = groups.map((g) => g.country?.code ?? null);
      expect([...new Set(countries)]).toEqual(
        [...new Set(released.map((r) => r.countryCode))].sort((a, b) =>
          a === null ? 1 : b === null ? -1 : a.localeCompare(b),
        ),
      );

      // A Mexican caller's programmes by objective by fiscal year.
      const mexicanKeys = ['objective', 'fiscalYear'] as const;
      const mexican = await programmeGroups('groupBy: [OBJECTIVE, US_FISCAL_YEAR]', TEST_CALLER_MX);
      const forMexico = programmes.filter(releasedTo(TEST_CALLER_MX));
      expect(comparableProgrammes(mexican, mexicanKeys)).toEqual(expectedProgrammeGroups(forMexico, mexicanKeys));
    });

    it('applies the list filters exactly as programmes does', async () => {
      const args =
        'kind: TREATMENT, country: "MX", objectiveId: "1.1.2", period: { years: { kind: US_FISCAL, from: 2023, to: 2024 } }';
      const { list, all } = await run<{ list: { totalCount: number }; all: ProgrammeGroup[] }>(
        `{ list: programmes(${args}) { totalCount } all: programmeAggregates(${args}) { ${PROGRAMME_GROUP} } }`,
      );
      const selected = programmes.filter(
        (r) =>
          releasedTo()(r) &&
          r.kind === 'TREATMENT' &&
          r.countryCode === 'MX' &&
          r.objectiveId === '1.1.2' &&
          fiscalYearOf(r.startedOn) >= 2023 &&
          fiscalYearOf(r.startedOn) <= 2024,
      );
      expect(selected.length).toBeGreaterThan(10);
      expect(all).toHaveLength(1);
      expect(all[0]!.count).toBe(list.totalCount);
      expect(comparableProgrammes(all, [])).toEqual(expectedProgrammeGroups(selected, []));

      const state = 'region: "MX-CHH", status: FINAL, sourceKind: SYNTHETIC';
      const chihuahua = await run<{ list: { totalCount: number }; all: ProgrammeGroup[] }>(
        `{ list: programmes(${state}) { totalCount } all: programmeAggregates(${state}, groupBy: [CALENDAR_YEAR]) { count } }`,
      );
      expect(chihuahua.all.reduce((n, g) => n + g.count, 0)).toBe(chihuahua.list.totalCount);
    });

    it('puts a programme started on 30 September and one on 1 October in different fiscal years', async () => {
      const args = 'groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], kind: PREVENTION, region: "MX-CHH"';
      const before = await programmeGroups(args);
      const base = {
        name: 'Aggregate test fixture (synthetic)',
        kind: 'PREVENTION',
        objectiveId: programmeObjective('PREVENTION'),
        countryCode: 'MX',
        regionCode: 'MX-CHH',
        sourceId: SYNTHETIC_SOURCE_ID,
        recordedBy: 'test',
      } as const;
      await subgraph.prisma.programme.createMany({
        data: [
          { ...base, recordId: 'AGG-FY-END', startedOn: new Date('2019-09-30T00:00:00Z') },
          { ...base, recordId: 'AGG-FY-START', startedOn: new Date('2019-10-01T00:00:00Z') },
        ],
      });
      const after = await programmeGroups(args);
      const count = (groups: ProgrammeGroup[], fiscalYear: number, calendarYear: number) =>
        groups.find((g) => g.fiscalYear === fiscalYear && g.calendarYear === calendarYear)?.count ?? 0;
      expect(count(after, 2019, 2019) - count(before, 2019, 2019)).toBe(1);
      expect(count(after, 2020, 2019) - count(before, 2020, 2019)).toBe(1);
      await subgraph.prisma.programme.deleteMany({ where: { recordId: { in: ['AGG-FY-END', 'AGG-FY-START'] } } });
    });

    it('answers one group of everything selected without groupBy, and a group of none when nothing is', async () => {
      const [all] = await programmeGroups('');
      expect(all!.count).toBe(programmes.filter(releasedTo()).length);
      expect(await programmeGroups('period: { from: "1990-01-01", to: "1990-12-31" }')).toEqual([
        {
          calendarYear: null,
          fiscalYear: null,
          country: null,
          region: null,
          kind: null,
          objective: null,
          status: null,
          count: 0,
          fundedCount: 0,
          totalFundingUsd: null,
          averageFundingUsd: null,
          reachedCount: 0,
          totalPeopleReached: null,
          averagePeopleReached: null,
        },
      ]);
      const [none] = await homicideGroups('period: { from: "1990-01-01", to: "1990-01-31" }');
      expect(none).toMatchObject({ count: 0, reportedCount: 0, totalHomicides: null, averageHomicides: null });
    });

    it('refuses more than 1,000 groups and bad filters with clear errors', async () => {
      const keys = ['region', 'calendarYear', 'kind', 'status'] as const;
      expect(
        byKey(programmes.filter(releasedTo()), (r) => Object.fromEntries(keys.map((k) => [k, PROGRAMME_COLUMN[k](r)])))
          .length,
      ).toBeGreaterThan(1000);
      const tooMany = await subgraph.execute(
        '{ programmeAggregates(groupBy: [REGION, CALENDAR_YEAR, KIND, STATUS]) { count } }',
      );
      expect(tooMany.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'AGGREGATE_GROUP_LIMIT_EXCEEDED', limit: 1000 }),
      ]);
      expect(tooMany.errors![0]!.message).toMatch(/more than 1000 groups/i);

      for (const [query, field] of [
        ['{ homicideStatisticAggregates(region: "Sonora") { count } }', 'region'],
        ['{ homicideStatisticAggregates(country: "Mexico") { count } }', 'country'],
        ['{ programmeAggregates(objectiveId: "1.2") { count } }', 'objectiveId'],
        ['{ programmeAggregates(region: "Chihuahua") { count } }', 'region'],
      ] as const) {
        const bad = await subgraph.execute(query);
        expect([query, bad.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])]).toEqual([
          query,
          [['BAD_USER_INPUT', field]],
        ]);
        expect(bad.errors![0]!.message).not.toMatch(/prisma|select |\.ts\b/i);
      }
    });
  });
}
