import {
  describeOn,
  startTestSubgraph,
  TEST_CALLER_MX,
  TEST_DATABASES,
  type TestSubgraph,
} from '@bicentennial/testing';
import type { DrugSeizure, PrismaClient } from '../generated/prisma/client';
import * as borderTrade from '../server';
import { loadSynthetic } from '../synthetic';

interface Group {
  fiscalYear: number | null;
  calendarYear: number | null;
  port: { code: string } | null;
  region: { code: string } | null;
  drug: string | null;
  count: number;
  weighedCount: number;
  totalQuantityKg: number | null;
  averageQuantityKg: number | null;
}

const GROUP =
  'fiscalYear calendarYear port { code } region { code } drug count weighedCount totalQuantityKg averageQuantityKg';

/** A U.S. fiscal year N runs from 1 October of N-1 to 30 September of N. */
const fiscalYearOf = (day: Date) => day.getUTCFullYear() + (day.getUTCMonth() >= 9 ? 1 : 0);

/** The groups the rows make, computed here in JavaScript, for comparison with the database's. */
type Key = Record<string, string | number | null>;

function expectedGroups(rows: DrugSeizure[], keyOf: (row: DrugSeizure) => Key) {
  const groups = new Map<string, { key: Key; rows: DrugSeizure[] }>();
  for (const row of rows) {
    const key = keyOf(row);
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  return [...groups.values()].map(({ key, rows: members }) => {
    const weighed = members.filter((r) => r.quantityKg !== null).map((r) => r.quantityKg!);
    const total = weighed.reduce((sum, kg) => sum + kg, 0);
    return {
      key,
      count: members.length,
      weighedCount: weighed.length,
      totalQuantityKg: weighed.length > 0 ? total : null,
      averageQuantityKg: weighed.length > 0 ? total / weighed.length : null,
    };
  });
}

/** Groups as the answer gives them, keyed the way `expectedGroups` keys them, sums rounded for floats. */
const comparable = (
  groups: {
    key: Key;
    count: number;
    weighedCount: number;
    totalQuantityKg: number | null;
    averageQuantityKg: number | null;
  }[],
) =>
  groups
    .map((g) => ({
      key: JSON.stringify(g.key),
      count: g.count,
      weighedCount: g.weighedCount,
      totalQuantityKg: g.totalQuantityKg === null ? null : Math.round(g.totalQuantityKg * 1000) / 1000,
      averageQuantityKg: g.averageQuantityKg === null ? null : Math.round(g.averageQuantityKg * 1000) / 1000,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));

for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`border-trade aggregates on ${database.name}`, () => {
    let subgraph: TestSubgraph<PrismaClient>;
    let rows: DrugSeizure[];

    beforeAll(async () => {
      subgraph = await startTestSubgraph(borderTrade, { on: database.kind });
      await loadSynthetic(subgraph.prisma, { seed: 11, drugSeizures: 3000, interdictions: 400 });
      rows = await subgraph.prisma.drugSeizure.findMany();
    }, 180_000);
    afterAll(() => subgraph?.close());

    const groupsOf = async (args: string, as?: typeof TEST_CALLER_MX) => {
      const { data, errors } = await subgraph.execute<{ groups: Group[] }>(
        `#graphql\n { groups: drugSeizureAggregates${args ? `(${args})` : ''} { ${GROUP} } }`,
        undefined,
        as ? { as } : undefined,
      );
      expect(errors).toBeUndefined();
      return data!.groups;
    };

    it('groups drug seizures by port by fiscal year in the database, as the rows add up', async () => {
      const groups = await groupsOf('groupBy: [PORT, US_FISCAL_YEAR]');
      // The U.S. test caller reads what is released to the United States and to both countries.
      const released = rows.filter((r) => r.releasableTo !== 'MX');
      expect(released.length).toBeGreaterThan(1000);
      expect(
        comparable(groups.map((g) => ({ ...g, key: { port: g.port?.code ?? null, fiscalYear: g.fiscalYear } }))),
      ).toEqual(
        comparable(expectedGroups(released, (r) => ({ port: r.portCode, fiscalYear: fiscalYearOf(r.seizedOn) }))),
      );
      // Only the keys grouped by are set; groups come in ascending order of their keys.
      expect(groups.every((g) => g.calendarYear === null && g.drug === null && g.region === null)).toBe(true);
      const keys = groups.map((g) => [g.port?.code ?? '~', g.fiscalYear!]);
      expect(keys).toEqual(
        [...keys].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : Number(a[1]) - Number(b[1]))),
      );
    });

    it('applies the list filters exactly as drugSeizures does, and releasability per caller', async () => {
      const args = 'drug: FENTANYL, region: "US-AZ", period: { years: { kind: US_FISCAL, from: 2023, to: 2024 } }';
      const { data } = await subgraph.execute<{ list: { totalCount: number }; all: Group[] }>(
        `#graphql\n { list: drugSeizures(${args}) { totalCount } all: drugSeizureAggregates(${args}) { ${GROUP} } }`,
      );
      expect(data!.all).toHaveLength(1);
      expect(data!.all[0]!.count).toBe(data!.list.totalCount);
      const selected = rows.filter(
        (r) =>
          r.releasableTo !== 'MX' &&
          r.drug === 'FENTANYL' &&
          r.stateCode === 'US-AZ' &&
          fiscalYearOf(r.seizedOn) >= 2023 &&
          fiscalYearOf(r.seizedOn) <= 2024,
      );
      expect(data!.all[0]!.count).toBe(selected.length);

      // A Mexican caller counts what is released to Mexico and to both, never the U.S.-only rows.
      const mexican = await groupsOf('groupBy: [DRUG]', TEST_CALLER_MX);
      const forMexico = rows.filter((r) => r.releasableTo !== 'US');
      expect(comparable(mexican.map((g) => ({ ...g, key: { drug: g.drug } })))).toEqual(
        comparable(expectedGroups(forMexico, (r) => ({ drug: r.drug }))),
      );
    });

    it('puts a seizure on 30 September and one on 1 October in different fiscal years', async () => {
      const before = await groupsOf('groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], drug: HEROIN, port: "2504"');
      const source = rows[0]!.sourceId;
      const base = {
        location: 'AT_PORT',
        portCode: '2504',
        stateCode: 'US-CA',
        drug: 'HEROIN',
        quantity: 2,
        unit: 'KILOGRAMS',
        quantityKg: 2,
        mode: 'CARGO',
        sourceId: source,
        objectiveId: '2.1.2',
        recordedBy: 'test',
      } as const;
      await subgraph.prisma.drugSeizure.createMany({
        data: [
          { ...base, recordId: 'agg-fy-end', seizedOn: new Date('2019-09-30T00:00:00Z') },
          { ...base, recordId: 'agg-fy-start', seizedOn: new Date('2019-10-01T00:00:00Z') },
        ],
      });
      const after = await groupsOf('groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], drug: HEROIN, port: "2504"');
      const count = (groups: Group[], fiscalYear: number, calendarYear: number) =>
        groups.find((g) => g.fiscalYear === fiscalYear && g.calendarYear === calendarYear)?.count ?? 0;
      expect(count(after, 2019, 2019) - count(before, 2019, 2019)).toBe(1);
      expect(count(after, 2020, 2019) - count(before, 2020, 2019)).toBe(1);
    });

    it('answers one group of everything selected without groupBy, and a group of none when nothing is', async () => {
      const [all] = await groupsOf('');
      expect(all!.count).toBe(await subgraph.prisma.drugSeizure.count({ where: { releasableTo: { not: 'MX' } } }));
      const none = await groupsOf('period: { from: "1990-01-01", to: "1990-12-31" }');
      expect(none).toEqual([
        {
          fiscalYear: null,
          calendarYear: null,
          port: null,
          region: null,
          drug: null,
          count: 0,
          weighedCount: 0,
          totalQuantityKg: null,
          averageQuantityKg: null,
        },
      ]);
    });

    it('refuses more than 1,000 groups and bad filters with clear errors; sums people over interdictions', async () => {
      const tooMany = await subgraph.execute(
        '{ drugSeizureAggregates(groupBy: [PORT, CALENDAR_YEAR, DRUG, MODE, STATUS]) { count } }',
      );
      expect(tooMany.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'AGGREGATE_GROUP_LIMIT_EXCEEDED', limit: 1000 }),
      ]);
      expect(tooMany.errors![0]!.message).toMatch(/more than 1000 groups/i);
      const bad = await subgraph.execute('{ drugSeizureAggregates(region: "Texas") { count } }');
      expect(bad.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])).toEqual([
        ['BAD_USER_INPUT', 'region'],
      ]);
      expect(bad.errors![0]!.message).not.toMatch(/prisma|select |\.ts\b/i);
      const interdictions = await subgraph.execute<{
        all: { count: number; totalPersonsRescued: number; averagePersonsRescued: number | null }[];
        list: { totalCount: number };
      }>(
        '{ all: smugglingInterdictionAggregates { count totalPersonsRescued averagePersonsRescued } list: smugglingInterdictions { totalCount } }',
      );
      const stored = await subgraph.prisma.smugglingInterdiction.findMany({ where: { releasableTo: { not: 'MX' } } });
      const rescued = stored.reduce((sum, r) => sum + r.personsRescued, 0);
      expect(interdictions.data!.all).toEqual([
        {
          count: stored.length,
          totalPersonsRescued: rescued,
          averagePersonsRescued: expect.closeTo(rescued / stored.length, 6),
        },
      ]);
      expect(interdictions.data!.list.totalCount).toBe(stored.length);
    });
  });
}
