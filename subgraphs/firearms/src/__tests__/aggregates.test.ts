import {
  describeOn,
  startTestSubgraph,
  TEST_CALLER_MX,
  TEST_DATABASES,
  type TestSubgraph,
} from '@bicentennial/testing';
import type { FirearmSeizure, PrismaClient, TraffickingCase } from '../generated/prisma/client';
import * as firearms from '../server';
import { loadSynthetic } from '../synthetic';

/** A group as either aggregate answers it: its keys (by group field), its count and its measures. */
type Answer = Record<string, unknown> & { count: number };

const SEIZURE_GROUP = `calendarYear fiscalYear country { code } region { code } port { code }
  organization { slug } status firearmType seizingAgency
  count totalFirearms averageFirearms totalAmmunitionRounds averageAmmunitionRounds`;
const CASE_GROUP = `calendarYear fiscalYear country { code } organization { slug } status caseStatus highLevel
  count totalDefendants averageDefendants totalFirearmsInvolved averageFirearmsInvolved`;
const SEIZURE_MEASURES = { Firearms: 'firearms', AmmunitionRounds: 'ammunitionRounds' } as const;
const CASE_MEASURES = { Defendants: 'defendants', FirearmsInvolved: 'firearmsInvolved' } as const;
const SEIZURE_KEYS = [
  'calendarYear',
  'fiscalYear',
  'country',
  'region',
  'port',
  'organization',
  'status',
  'firearmType',
  'seizingAgency',
];
const CASE_KEYS = ['calendarYear', 'fiscalYear', 'country', 'organization', 'status', 'caseStatus', 'highLevel'];

/** A U.S. fiscal year N runs from 1 October of N-1 to 30 September of N. */
const fiscalYearOf = (day: Date) => day.getUTCFullYear() + (day.getUTCMonth() >= 9 ? 1 : 0);

/** An entity key as a plain value: `{ code: 'MX' }` → `'MX'`, `{ slug: 'CJNG' }` → `'CJNG'`. */
const plain = (value: unknown): unknown =>
  value !== null && typeof value === 'object' ? Object.values(value as Record<string, unknown>)[0] : value;

const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);

/**
 * The groups the rows make, computed here in JavaScript: by `keyOf`, with each measure's total
 * (0 for none) and mean (null for none), sorted by key for comparison with `answered`.
 */
function expectedGroups<R>(
  rows: readonly R[],
  keyOf: (row: R) => Record<string, unknown>,
  measures: Record<string, keyof R>,
) {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const id = JSON.stringify(keyOf(row));
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([key, members]) => {
      const out: Record<string, unknown> = { key, count: members.length };
      for (const [name, column] of Object.entries(measures)) {
        const total = members.reduce((sum, r) => sum + (r[column] as number), 0);
        out[`total${name}`] = total;
        out[`average${name}`] = round(members.length > 0 ? total / members.length : null);
      }
      return out;
    })
    .sort((a, b) => String(a['key']).localeCompare(String(b['key'])));
}

/** The database's groups in `expectedGroups`'s shape: the keys grouped by (`keys`, in order) as one JSON key. */
function answered(groups: readonly Answer[], keys: readonly string[], measures: Record<string, unknown>) {
  return groups
    .map((g) => {
      const out: Record<string, unknown> = {
        key: JSON.stringify(Object.fromEntries(keys.map((k) => [k, plain(g[k])]))),
        count: g.count,
      };
      for (const name of Object.keys(measures)) {
        out[`total${name}`] = g[`total${name}`];
        out[`average${name}`] = round(g[`average${name}`] as number | null);
      }
      return out;
    })
    .sort((a, b) => String(a['key']).localeCompare(String(b['key'])));
}

/** The fields a group leaves null: every key field not grouped by. */
const unsetKeys = (groups: readonly Answer[], all: readonly string[], set: readonly string[]) =>
  groups.flatMap((g) => all.filter((k) => !set.includes(k) && g[k] !== null));

for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`firearms aggregates on ${database.name}`, () => {
    let subgraph: TestSubgraph<PrismaClient>;
    let seizures: FirearmSeizure[];
    let cases: TraffickingCase[];

    beforeAll(async () => {
      subgraph = await startTestSubgraph(firearms, { on: database.kind });
      await loadSynthetic(subgraph.prisma, { seed: 11, firearmSeizures: 3000, traffickingCases: 800 });
      seizures = await subgraph.prisma.firearmSeizure.findMany();
      cases = await subgraph.prisma.traffickingCase.findMany();
    }, 180_000);
    afterAll(() => subgraph?.close());

    const groupsOf = async (field: string, args: string, as?: typeof TEST_CALLER_MX) => {
      const selection = field === 'firearmSeizureAggregates' ? SEIZURE_GROUP : CASE_GROUP;
      const { data, errors } = await subgraph.execute<{ groups: Answer[] }>(
        `#graphql\n { groups: ${field}${args ? `(${args})` : ''} { ${selection} } }`,
        undefined,
        as ? { as } : undefined,
      );
      expect([args, errors]).toEqual([args, undefined]);
      return data!.groups;
    };
    // The U.S. test caller reads what is released to the United States and to both countries; the
    // Mexican one what is released to Mexico and to both.
    const forUS = <R extends { releasableTo: string }>(rows: R[]) => rows.filter((r) => r.releasableTo !== 'MX');
    const forMexico = <R extends { releasableTo: string }>(rows: R[]) => rows.filter((r) => r.releasableTo !== 'US');

    it('groups firearm seizures by country by fiscal year in the database, as the rows add up', async () => {
      const groups = await groupsOf('firearmSeizureAggregates', 'groupBy: [COUNTRY, US_FISCAL_YEAR]');
      const released = forUS(seizures);
      expect(released.length).toBeGreaterThan(2000);
      expect(answered(groups, ['country', 'fiscalYear'], SEIZURE_MEASURES)).toEqual(
        expectedGroups(
          released,
          (r) => ({ country: r.country, fiscalYear: fiscalYearOf(r.seizedOn) }),
          SEIZURE_MEASURES,
        ),
      );
      // Only the keys grouped by are set; groups come in ascending order of their keys.
      expect(unsetKeys(groups, SEIZURE_KEYS, ['country', 'fiscalYear'])).toEqual([]);
      const keys = groups.map((g) => [plain(g['country']) as string, g['fiscalYear'] as number] as const);
      expect(keys).toEqual([...keys].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]));
      // The rows' firearms and rounds add up to the groups' (never summed together).
      expect(groups.reduce((sum, g) => sum + (g['totalFirearms'] as number), 0)).toBe(
        released.reduce((sum, r) => sum + r.firearms, 0),
      );
    });

    it('groups seizures by every other key as the rows do, for a U.S. and a Mexican caller', async () => {
      const byStateTypeAgency = await groupsOf(
        'firearmSeizureAggregates',
        'groupBy: [REGION, FIREARM_TYPE, SEIZING_AGENCY]',
      );
      expect(answered(byStateTypeAgency, ['region', 'firearmType', 'seizingAgency'], SEIZURE_MEASURES)).toEqual(
        expectedGroups(
          forUS(seizures),
          (r) => ({
            region: r.stateCode,
            firearmType: r.firearmType,
            seizingAgency: r.seizingAgency,
          }),
          SEIZURE_MEASURES,
        ),
      );
      // A Mexican caller counts what is released to Mexico and to both, never the U.S.-only rows;
      // seizures away from a port or attributed to no organization make groups of their own (null).
      const mexican = await groupsOf(
        'firearmSeizureAggregates',
        'groupBy: [PORT, ORGANIZATION, STATUS, CALENDAR_YEAR]',
        TEST_CALLER_MX,
      );
      expect(mexican.some((g) => g['port'] === null) && mexican.some((g) => g['organization'] === null)).toBe(true);
      expect(answered(mexican, ['port', 'organization', 'status', 'calendarYear'], SEIZURE_MEASURES)).toEqual(
        expectedGroups(
          forMexico(seizures),
          (r) => ({
            port: r.portCode,
            organization: r.organizationSlug,
            status: r.status,
            calendarYear: r.seizedOn.getUTCFullYear(),
          }),
          SEIZURE_MEASURES,
        ),
      );
      expect(unsetKeys(mexican, SEIZURE_KEYS, ['port', 'organization', 'status', 'calendarYear'])).toEqual([]);
    });

    it('groups trafficking cases by status, high level and the year they were opened, as the rows add up', async () => {
      const groups = await groupsOf('traffickingCaseAggregates', 'groupBy: [CASE_STATUS, HIGH_LEVEL, CALENDAR_YEAR]');
      expect(forUS(cases).length).toBeGreaterThan(500);
      expect(answered(groups, ['caseStatus', 'highLevel', 'calendarYear'], CASE_MEASURES)).toEqual(
        expectedGroups(
          forUS(cases),
          (r) => ({ caseStatus: r.caseStatus, highLevel: r.highLevel, calendarYear: r.openedOn.getUTCFullYear() }),
          CASE_MEASURES,
        ),
      );
      expect(unsetKeys(groups, CASE_KEYS, ['caseStatus', 'highLevel', 'calendarYear'])).toEqual([]);
      // Ascending keys: case statuses in the enum's order, then false before true, then years.
      const order = ['UNDER_INVESTIGATION', 'CHARGED', 'CONVICTED', 'ACQUITTED', 'DISMISSED'];
      const keys = groups.map((g) => [
        order.indexOf(g['caseStatus'] as string),
        Number(g['highLevel']),
        g['calendarYear'] as number,
      ]);
      expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!));

      const mexican = await groupsOf(
        'traffickingCaseAggregates',
        'groupBy: [COUNTRY, ORGANIZATION, STATUS, US_FISCAL_YEAR]',
        TEST_CALLER_MX,
      );
      expect(answered(mexican, ['country', 'organization', 'status', 'fiscalYear'], CASE_MEASURES)).toEqual(
        expectedGroups(
          forMexico(cases),
          (r) => ({
            country: r.country,
            organization: r.organizationSlug,
            status: r.status,
            fiscalYear: fiscalYearOf(r.openedOn),
          }),
          CASE_MEASURES,
        ),
      );
    });

    it.each([
      ['firearmSeizures', 'firearmSeizureAggregates', 'country: "MX", firearmType: RIFLE'],
      [
        'firearmSeizures',
        'firearmSeizureAggregates',
        'region: "US-TX", period: { years: { kind: US_FISCAL, from: 2021, to: 2023 } }',
      ],
      ['firearmSeizures', 'firearmSeizureAggregates', 'port: "2504", seizingAgency: CBP, status: FINAL'],
      [
        'firearmSeizures',
        'firearmSeizureAggregates',
        'organization: "CJNG", sourceKind: SYNTHETIC, period: { from: "2022-03-01", to: "2024-02-29" }',
      ],
      ['traffickingCases', 'traffickingCaseAggregates', 'country: "US", caseStatus: CONVICTED'],
      ['traffickingCases', 'traffickingCaseAggregates', 'region: "MX", highLevel: true'],
      [
        'traffickingCases',
        'traffickingCaseAggregates',
        'organization: "SINALOA", period: { years: { kind: CALENDAR, from: 2020, to: 2022 } }',
      ],
      ['traffickingCases', 'traffickingCaseAggregates', 'status: FINAL, sourceKind: SYNTHETIC, country: "MX"'],
    ])('counts in %s the same records as %s, with %s', async (list, aggregate, args) => {
      for (const as of [undefined, TEST_CALLER_MX]) {
        const { data, errors } = await subgraph.execute<{ list: { totalCount: number }; all: Answer[] }>(
          `#graphql\n { list: ${list}(${args}) { totalCount } all: ${aggregate}(${args}) { count } }`,
          undefined,
          as ? { as } : undefined,
        );
        expect(errors).toBeUndefined();
        expect(data!.list.totalCount).toBeGreaterThan(0);
        expect(data!.all).toEqual([{ count: data!.list.totalCount }]);
      }
    });

    it('selects with the filters exactly the rows they name', async () => {
      const [rifles] = await groupsOf('firearmSeizureAggregates', 'country: "MX", firearmType: RIFLE');
      const selected = forUS(seizures).filter((r) => r.country === 'MX' && r.firearmType === 'RIFLE');
      expect(selected.length).toBeGreaterThan(0);
      expect(rifles!.count).toBe(selected.length);
      expect(rifles!['totalAmmunitionRounds']).toBe(selected.reduce((sum, r) => sum + r.ammunitionRounds, 0));
      const [convicted] = await groupsOf(
        'traffickingCaseAggregates',
        'caseStatus: CONVICTED, period: { years: { kind: US_FISCAL, from: 2022, to: 2024 } }',
        TEST_CALLER_MX,
      );
      const chosen = forMexico(cases).filter(
        (r) => r.caseStatus === 'CONVICTED' && fiscalYearOf(r.openedOn) >= 2022 && fiscalYearOf(r.openedOn) <= 2024,
      );
      expect(chosen.length).toBeGreaterThan(0);
      expect(convicted!.count).toBe(chosen.length);
      expect(convicted!['totalDefendants']).toBe(chosen.reduce((sum, r) => sum + r.defendants, 0));
    });

    it('puts a record on 30 September and one on 1 October in different fiscal years', async () => {
      const source = seizures[0]!.sourceId;
      const SEIZURES = 'groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], port: "2304", firearmType: SHOTGUN';
      const CASES = 'groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], country: "MX", caseStatus: DISMISSED';
      const count = (groups: Answer[], fiscalYear: number, calendarYear: number) =>
        groups.find((g) => g['fiscalYear'] === fiscalYear && g['calendarYear'] === calendarYear)?.count ?? 0;

      const seizuresBefore = await groupsOf('firearmSeizureAggregates', SEIZURES);
      const seizure = {
        objectiveId: '2.2.1',
        country: 'US',
        stateCode: 'US-TX',
        portCode: '2304',
        firearmType: 'SHOTGUN',
        firearms: 2,
        ammunitionRounds: 0,
        seizingAgency: 'CBP',
        sourceId: source,
        recordedBy: 'test',
      } as const;
      await subgraph.prisma.firearmSeizure.createMany({
        data: [
          { ...seizure, recordId: 'agg-fy-end', seizedOn: new Date('2019-09-30T00:00:00Z') },
          { ...seizure, recordId: 'agg-fy-start', seizedOn: new Date('2019-10-01T00:00:00Z') },
        ],
      });
      const seizuresAfter = await groupsOf('firearmSeizureAggregates', SEIZURES);
      expect(count(seizuresAfter, 2019, 2019) - count(seizuresBefore, 2019, 2019)).toBe(1);
      expect(count(seizuresAfter, 2020, 2019) - count(seizuresBefore, 2020, 2019)).toBe(1);

      // A case counts in the years of the day it was opened, however long it runs.
      const casesBefore = await groupsOf('traffickingCaseAggregates', CASES);
      const trafficking = {
        objectiveId: '2.2.3',
        country: 'MX',
        office: 'FGR, Delegación Sonora',
        caseStatus: 'DISMISSED',
        closedOn: new Date('2021-06-01T00:00:00Z'),
        defendants: 1,
        firearmsInvolved: 3,
        highLevel: false,
        sourceId: source,
        recordedBy: 'test',
      } as const;
      await subgraph.prisma.traffickingCase.createMany({
        data: [
          { ...trafficking, recordId: 'agg-fy-end', openedOn: new Date('2019-09-30T00:00:00Z') },
          { ...trafficking, recordId: 'agg-fy-start', openedOn: new Date('2019-10-01T00:00:00Z') },
        ],
      });
      const casesAfter = await groupsOf('traffickingCaseAggregates', CASES);
      expect(count(casesAfter, 2019, 2019) - count(casesBefore, 2019, 2019)).toBe(1);
      expect(count(casesAfter, 2020, 2019) - count(casesBefore, 2020, 2019)).toBe(1);
      expect(count(casesAfter, 2021, 2021) - count(casesBefore, 2021, 2021)).toBe(0);

      await subgraph.prisma.firearmSeizure.deleteMany({ where: { recordId: { startsWith: 'agg-fy-' } } });
      await subgraph.prisma.traffickingCase.deleteMany({ where: { recordId: { startsWith: 'agg-fy-' } } });
    });

    it('answers one group of everything selected without groupBy, and a group of none when nothing is', async () => {
      const [allSeizures] = await groupsOf('firearmSeizureAggregates', '');
      expect(allSeizures!.count).toBe(
        await subgraph.prisma.firearmSeizure.count({ where: { releasableTo: { not: 'MX' } } }),
      );
      const [allCases] = await groupsOf('traffickingCaseAggregates', '', TEST_CALLER_MX);
      expect(allCases!.count).toBe(
        await subgraph.prisma.traffickingCase.count({ where: { releasableTo: { not: 'US' } } }),
      );
      const nothing = 'period: { from: "1990-01-01", to: "1990-12-31" }';
      expect(await groupsOf('firearmSeizureAggregates', nothing)).toEqual([
        {
          ...Object.fromEntries(SEIZURE_KEYS.map((k) => [k, null])),
          count: 0,
          totalFirearms: 0,
          averageFirearms: null,
          totalAmmunitionRounds: 0,
          averageAmmunitionRounds: null,
        },
      ]);
      expect(await groupsOf('traffickingCaseAggregates', nothing)).toEqual([
        {
          ...Object.fromEntries(CASE_KEYS.map((k) => [k, null])),
          count: 0,
          totalDefendants: 0,
          averageDefendants: null,
          totalFirearmsInvolved: 0,
          averageFirearmsInvolved: null,
        },
      ]);
    });

    it('refuses more than 1,000 groups with AGGREGATE_GROUP_LIMIT_EXCEEDED', async () => {
      const keyOf = (r: FirearmSeizure) =>
        [r.stateCode, r.seizedOn.getUTCFullYear(), r.firearmType, r.seizingAgency, r.organizationSlug].join();
      expect(new Set(forUS(seizures).map(keyOf)).size).toBeGreaterThan(1000);
      const tooMany = await subgraph.execute(
        '{ firearmSeizureAggregates(groupBy: [REGION, CALENDAR_YEAR, FIREARM_TYPE, SEIZING_AGENCY, ORGANIZATION]) { count } }',
      );
      expect(tooMany.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'AGGREGATE_GROUP_LIMIT_EXCEEDED', limit: 1000 }),
      ]);
      expect(tooMany.errors![0]!.message).toMatch(/more than 1000 groups/i);
    });

    it.each([
      ['firearmSeizureAggregates', 'region: "Texas"', 'region'],
      ['firearmSeizureAggregates', 'country: "CA"', 'country'],
      ['firearmSeizureAggregates', 'port: "San Ysidro"', 'port'],
      ['firearmSeizureAggregates', 'organization: "not a slug!"', 'organization'],
      ['firearmSeizureAggregates', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
      ['traffickingCaseAggregates', 'region: "US-TX"', 'region'],
      ['traffickingCaseAggregates', 'organization: "sinaloa cartel"', 'organization'],
    ])('refuses %s(%s) as BAD_USER_INPUT naming %s', async (aggregate, args, field) => {
      const bad = await subgraph.execute(`{ ${aggregate}(${args}) { count } }`);
      expect(bad.data?.[aggregate] ?? null).toBeNull();
      expect(bad.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])).toEqual([
        ['BAD_USER_INPUT', field],
      ]);
      expect(bad.errors![0]!.message).not.toMatch(/prisma|select |\.ts\b/i);
    });
  });
}
