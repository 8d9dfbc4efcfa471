import {
  describeOn,
  startTestSubgraph,
  TEST_CALLER_MX,
  TEST_DATABASES,
  type TestSubgraph,
} from '@bicentennial/testing';
import type { AssetSeizure, PrismaClient, SanctionsDesignation } from '../generated/prisma/client';
import * as finance from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';

/** A U.S. fiscal year N runs from 1 October of N-1 to 30 September of N. */
const fiscalYearOf = (day: Date) => day.getUTCFullYear() + (day.getUTCMonth() >= 9 ? 1 : 0);
const on = (day: string) => new Date(`${day}T00:00:00Z`);
/**
 * What the database's sum or mean must be close to: `value` to `digits` decimals (the database adds
 * floats in its own order, so the last bits may differ), or null.
 */
const near = (value: number | null, digits: number): unknown => (value === null ? null : expect.closeTo(value, digits));

/** The rows of each group `keyOf` makes, computed here in JavaScript, for comparison with the database's. */
function grouped<R, K>(rows: R[], keyOf: (row: R) => K): { key: K; rows: R[] }[] {
  const groups = new Map<string, { key: K; rows: R[] }>();
  for (const row of rows) {
    const key = keyOf(row);
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  return [...groups.values()];
}

/** Sum and mean of the values given (nulls left out, as SQL does), with how many there were. */
function measure(values: (number | null)[]) {
  const known = values.filter((v): v is number => v !== null);
  const total = known.reduce((sum, v) => sum + v, 0);
  return {
    counted: known.length,
    total: known.length > 0 ? total : null,
    average: known.length > 0 ? total / known.length : null,
  };
}

interface DesignationGroup {
  calendarYear: number | null;
  fiscalYear: number | null;
  organization: { slug: string } | null;
  status: string | null;
  targetKind: string | null;
  count: number;
  individualsPublishedCount: number;
  totalIndividuals: number | null;
  averageIndividuals: number | null;
  entitiesPublishedCount: number;
  totalEntities: number | null;
  averageEntities: number | null;
}
const DESIGNATION_GROUP = `calendarYear fiscalYear organization { slug } status targetKind count
  individualsPublishedCount totalIndividuals averageIndividuals entitiesPublishedCount totalEntities averageEntities`;

interface SeizureGroup {
  calendarYear: number | null;
  fiscalYear: number | null;
  country: { code: string } | null;
  organization: { slug: string } | null;
  status: string | null;
  assetType: string | null;
  cyberEnabled: boolean | null;
  count: number;
  totalAmountUsd: number;
  averageAmountUsd: number | null;
}
const SEIZURE_GROUP =
  'calendarYear fiscalYear country { code } organization { slug } status assetType cyberEnabled count totalAmountUsd averageAmountUsd';

/** Designation groups, keyed as `key` says, in one order: comparable with `expectedDesignations`. */
const comparableDesignations = (groups: DesignationGroup[], key: (g: DesignationGroup) => unknown) =>
  groups
    .map((g) => ({
      key: JSON.stringify(key(g)),
      count: g.count,
      individuals: [g.individualsPublishedCount, g.totalIndividuals, g.averageIndividuals],
      entities: [g.entitiesPublishedCount, g.totalEntities, g.averageEntities],
    }))
    .sort((a, b) => a.key.localeCompare(b.key));

function expectedDesignations<K>(rows: SanctionsDesignation[], keyOf: (row: SanctionsDesignation) => K) {
  return grouped(rows, keyOf)
    .map(({ key, rows: members }) => {
      const individuals = measure(members.map((r) => r.individuals));
      const entities = measure(members.map((r) => r.entities));
      return {
        key: JSON.stringify(key),
        count: members.length,
        individuals: [individuals.counted, individuals.total, near(individuals.average, 9)],
        entities: [entities.counted, entities.total, near(entities.average, 9)],
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** Seizure groups, keyed as `key` says, in one order: comparable with `expectedSeizures`. */
const comparableSeizures = (groups: SeizureGroup[], key: (g: SeizureGroup) => unknown) =>
  groups
    .map((g) => ({
      key: JSON.stringify(key(g)),
      count: g.count,
      totalAmountUsd: g.totalAmountUsd,
      averageAmountUsd: g.averageAmountUsd,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));

function expectedSeizures<K>(rows: AssetSeizure[], keyOf: (row: AssetSeizure) => K) {
  return grouped(rows, keyOf)
    .map(({ key, rows: members }) => {
      const amounts = measure(members.map((r) => r.amountUsd));
      return {
        key: JSON.stringify(key),
        count: members.length,
        totalAmountUsd: near(amounts.total ?? 0, 4),
        averageAmountUsd: near(amounts.average, 6),
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`finance aggregates on ${database.name}`, () => {
    let subgraph: TestSubgraph<PrismaClient>;
    let designations: SanctionsDesignation[];
    let seizures: AssetSeizure[];
    // The U.S. test caller reads what is released to the United States and to both countries; a
    // Mexican caller what is released to Mexico and to both.
    const forUS = <R extends { releasableTo: string }>(rows: R[]) => rows.filter((r) => r.releasableTo !== 'MX');
    const forMexico = <R extends { releasableTo: string }>(rows: R[]) => rows.filter((r) => r.releasableTo !== 'US');

    beforeAll(async () => {
      // Seeded: the published designations (some without counts) and the synthetic sample of
      // seizures; then synthetic designations and more seizures, of every releasability.
      subgraph = await startTestSubgraph(finance, { on: database.kind });
      await loadSynthetic(subgraph.prisma, { seed: 13, assetSeizures: 4000, designations: 1500 });
      designations = await subgraph.prisma.sanctionsDesignation.findMany();
      seizures = await subgraph.prisma.assetSeizure.findMany();
    }, 180_000);
    afterAll(() => subgraph?.close());

    const run = async <T>(query: string, as?: typeof TEST_CALLER_MX) => {
      const { data, errors } = await subgraph.execute<T>(`#graphql\n ${query}`, undefined, as ? { as } : undefined);
      expect(errors).toBeUndefined();
      return data!;
    };
    const designationGroups = async (args: string, as?: typeof TEST_CALLER_MX) =>
      (
        await run<{ groups: DesignationGroup[] }>(
          `{ groups: sanctionsDesignationAggregates${args ? `(${args})` : ''} { ${DESIGNATION_GROUP} } }`,
          as,
        )
      ).groups;
    const seizureGroups = async (args: string, as?: typeof TEST_CALLER_MX) =>
      (
        await run<{ groups: SeizureGroup[] }>(
          `{ groups: assetSeizureAggregates${args ? `(${args})` : ''} { ${SEIZURE_GROUP} } }`,
          as,
        )
      ).groups;

    it('stores the calendar and U.S. fiscal year of every designation and seizure day', () => {
      expect(designations.length).toBeGreaterThan(1500);
      expect(seizures.length).toBeGreaterThan(4000);
      for (const r of designations) {
        expect([r.recordId, r.calendarYear, r.fiscalYear]).toEqual([
          r.recordId,
          r.designatedOn.getUTCFullYear(),
          fiscalYearOf(r.designatedOn),
        ]);
      }
      for (const r of seizures) {
        expect([r.recordId, r.calendarYear, r.fiscalYear]).toEqual([
          r.recordId,
          r.seizedOn.getUTCFullYear(),
          fiscalYearOf(r.seizedOn),
        ]);
      }
    });

    it('groups designations by organization by fiscal year in the database, as the rows add up', async () => {
      const groups = await designationGroups('groupBy: [ORGANIZATION, US_FISCAL_YEAR]');
      const released = forUS(designations);
      // Published designations without a count of individuals or entities are in the groups' counts, not their sums.
      expect(released.some((r) => r.individuals === null) && released.some((r) => r.entities === null)).toBe(true);
      expect(
        comparableDesignations(groups, (g) => ({
          organization: g.organization?.slug ?? null,
          fiscalYear: g.fiscalYear,
        })),
      ).toEqual(
        expectedDesignations(released, (r) => ({
          organization: r.organizationSlug,
          fiscalYear: fiscalYearOf(r.designatedOn),
        })),
      );
      // Only the keys grouped by are set; the actions about no organization come last.
      expect(groups.every((g) => g.calendarYear === null && g.status === null && g.targetKind === null)).toBe(true);
      const none = groups.findIndex((g) => g.organization === null);
      expect(none).toBeGreaterThan(0);
      expect(groups.slice(none).every((g) => g.organization === null)).toBe(true);
    });

    it('orders designation groups by fiscal year, then target kind in its declared order', async () => {
      const groups = await designationGroups('groupBy: [US_FISCAL_YEAR, TARGET_KIND]');
      const kinds = ['INDIVIDUAL', 'ENTITY', 'MIXED'];
      const keys = groups.map((g) => [g.fiscalYear!, kinds.indexOf(g.targetKind!)] as const);
      expect(keys.every(([, kind]) => kind >= 0)).toBe(true);
      expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      expect(comparableDesignations(groups, (g) => [g.fiscalYear, g.targetKind])).toEqual(
        expectedDesignations(forUS(designations), (r) => [fiscalYearOf(r.designatedOn), r.targetKind]),
      );
    });

    it('groups seizures by country, asset type and whether cyber-enabled, with their dollars, as the rows add up', async () => {
      const groups = await seizureGroups('groupBy: [COUNTRY, ASSET_TYPE, CYBER_ENABLED]');
      expect(comparableSeizures(groups, (g) => [g.country?.code ?? null, g.assetType, g.cyberEnabled])).toEqual(
        expectedSeizures(forUS(seizures), (r) => [r.countryCode, r.assetType, r.cyberEnabled]),
      );
      expect(groups.every((g) => g.calendarYear === null && g.organization === null && g.status === null)).toBe(true);
      // Cryptocurrency seizures are always cyber-enabled: no group says otherwise.
      expect(groups.some((g) => g.assetType === 'CRYPTOCURRENCY' && g.cyberEnabled === false)).toBe(false);
      const byOrganization = await seizureGroups('groupBy: [ORGANIZATION, CALENDAR_YEAR]');
      expect(comparableSeizures(byOrganization, (g) => [g.organization?.slug ?? null, g.calendarYear])).toEqual(
        expectedSeizures(forUS(seizures), (r) => [r.organizationSlug, r.seizedOn.getUTCFullYear()]),
      );
    });

    it('applies the list filters exactly as the lists do', async () => {
      const designationArgs =
        'organization: "CJNG", authority: EO_13224, period: { years: { kind: US_FISCAL, from: 2021, to: 2024 } }';
      const d = await run<{ list: { totalCount: number }; all: DesignationGroup[] }>(
        `{ list: sanctionsDesignations(${designationArgs}) { totalCount } all: sanctionsDesignationAggregates(${designationArgs}) { ${DESIGNATION_GROUP} } }`,
      );
      const selectedDesignations = forUS(designations).filter(
        (r) =>
          r.organizationSlug === 'CJNG' &&
          r.authorities.includes('EO_13224') &&
          fiscalYearOf(r.designatedOn) >= 2021 &&
          fiscalYearOf(r.designatedOn) <= 2024,
      );
      expect(selectedDesignations.length).toBeGreaterThan(10);
      expect(d.all).toHaveLength(1);
      expect(d.all[0]!.count).toBe(d.list.totalCount);
      expect(comparableDesignations(d.all, () => null)).toEqual(expectedDesignations(selectedDesignations, () => null));

      const seizureArgs =
        'region: "MX", organization: "SINALOA", assetType: CASH, cyberEnabled: false, status: FINAL, sourceKind: SYNTHETIC, period: { from: "2021-01-01", to: "2024-06-30" }';
      const s = await run<{ list: { totalCount: number }; all: SeizureGroup[] }>(
        `{ list: assetSeizures(${seizureArgs}) { totalCount } all: assetSeizureAggregates(${seizureArgs}) { ${SEIZURE_GROUP} } }`,
      );
      const selectedSeizures = forUS(seizures).filter(
        (r) =>
          r.countryCode === 'MX' &&
          r.organizationSlug === 'SINALOA' &&
          r.assetType === 'CASH' &&
          !r.cyberEnabled &&
          r.sourceId === SYNTHETIC_SOURCE_ID &&
          r.seizedOn >= on('2021-01-01') &&
          r.seizedOn <= on('2024-06-30'),
      );
      expect(selectedSeizures.length).toBeGreaterThan(10);
      expect(s.all).toHaveLength(1);
      expect(s.all[0]!.count).toBe(s.list.totalCount);
      expect(comparableSeizures(s.all, () => null)).toEqual(expectedSeizures(selectedSeizures, () => null));
      // `country` means the same as `region` for a country.
      const byCountry = await run<{ list: { totalCount: number }; all: { count: number }[] }>(
        '{ list: assetSeizures(country: "US", cyberEnabled: true) { totalCount } all: assetSeizureAggregates(country: "US", cyberEnabled: true) { count } }',
      );
      expect(byCountry.all).toEqual([{ count: byCountry.list.totalCount }]);
      expect(byCountry.all[0]!.count).toBe(
        forUS(seizures).filter((r) => r.countryCode === 'US' && r.cyberEnabled).length,
      );
    });

    it('counts for a Mexican caller what is released to Mexico and to both, never the U.S.-only rows', async () => {
      const d = await designationGroups('groupBy: [TARGET_KIND, CALENDAR_YEAR]', TEST_CALLER_MX);
      expect(comparableDesignations(d, (g) => [g.targetKind, g.calendarYear])).toEqual(
        expectedDesignations(forMexico(designations), (r) => [r.targetKind, r.designatedOn.getUTCFullYear()]),
      );
      const s = await seizureGroups('groupBy: [STATUS, US_FISCAL_YEAR]', TEST_CALLER_MX);
      expect(comparableSeizures(s, (g) => [g.status, g.fiscalYear])).toEqual(
        expectedSeizures(forMexico(seizures), (r) => [r.status, fiscalYearOf(r.seizedOn)]),
      );
      expect(forMexico(seizures).length).not.toBe(forUS(seizures).length);
    });

    it('puts a record on 30 September and one on 1 October in different fiscal years', async () => {
      const years = 'groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], organization: "LOS_ZETAS"';
      const count = (
        groups: { fiscalYear: number | null; calendarYear: number | null; count: number }[],
        fy: number,
        cy: number,
      ) => groups.find((g) => g.fiscalYear === fy && g.calendarYear === cy)?.count ?? 0;
      const base = { sourceId: SYNTHETIC_SOURCE_ID, organizationSlug: 'LOS_ZETAS', recordedBy: 'test' } as const;

      const designationsBefore = await designationGroups(years);
      await subgraph.prisma.sanctionsDesignation.createMany({
        data: ['2019-09-30', '2019-10-01'].map((day) => ({
          ...base,
          recordId: `agg-fy-${day}`,
          objectiveId: '3.1.1',
          designatedOn: on(day),
          datePrecision: 'DAY' as const,
          designatedBy: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
          authorities: ['EO_14059'],
          targetKind: 'INDIVIDUAL' as const,
          individuals: 1,
          entities: 0,
        })),
      });
      const designationsAfter = await designationGroups(years);
      expect(count(designationsAfter, 2019, 2019) - count(designationsBefore, 2019, 2019)).toBe(1);
      expect(count(designationsAfter, 2020, 2019) - count(designationsBefore, 2020, 2019)).toBe(1);

      const seizuresBefore = await seizureGroups(years);
      await subgraph.prisma.assetSeizure.createMany({
        data: ['2019-09-30', '2019-10-01'].map((day) => ({
          ...base,
          recordId: `agg-fy-${day}`,
          objectiveId: '3.1.4',
          seizedOn: on(day),
          countryCode: 'US',
          seizingAuthority: 'Homeland Security Investigations (HSI)',
          assetType: 'VEHICLE' as const,
          amountUsd: 1000,
          cyberEnabled: false,
        })),
      });
      const seizuresAfter = await seizureGroups(years);
      expect(count(seizuresAfter, 2019, 2019) - count(seizuresBefore, 2019, 2019)).toBe(1);
      expect(count(seizuresAfter, 2020, 2019) - count(seizuresBefore, 2020, 2019)).toBe(1);
    });

    it('answers one group of everything selected without groupBy, and a group of none when nothing is', async () => {
      const [allDesignations] = await designationGroups('');
      expect(allDesignations!.count).toBe(
        await subgraph.prisma.sanctionsDesignation.count({ where: { releasableTo: { not: 'MX' } } }),
      );
      const [allSeizures] = await seizureGroups('');
      expect(allSeizures!.count).toBe(
        await subgraph.prisma.assetSeizure.count({ where: { releasableTo: { not: 'MX' } } }),
      );

      const nothing = 'period: { from: "1990-01-01", to: "1990-12-31" }';
      expect(await designationGroups(nothing)).toEqual([
        {
          calendarYear: null,
          fiscalYear: null,
          organization: null,
          status: null,
          targetKind: null,
          count: 0,
          individualsPublishedCount: 0,
          totalIndividuals: null,
          averageIndividuals: null,
          entitiesPublishedCount: 0,
          totalEntities: null,
          averageEntities: null,
        },
      ]);
      expect(await seizureGroups(nothing)).toEqual([
        {
          calendarYear: null,
          fiscalYear: null,
          country: null,
          organization: null,
          status: null,
          assetType: null,
          cyberEnabled: null,
          count: 0,
          totalAmountUsd: 0,
          averageAmountUsd: null,
        },
      ]);
    });

    it('refuses more than 1,000 groups', async () => {
      const keys = new Set(
        forUS(seizures).map((r) =>
          JSON.stringify([
            r.calendarYear,
            r.fiscalYear,
            r.countryCode,
            r.organizationSlug,
            r.assetType,
            r.cyberEnabled,
          ]),
        ),
      );
      expect(keys.size).toBeGreaterThan(1000);
      const tooMany = await subgraph.execute(
        '{ assetSeizureAggregates(groupBy: [CALENDAR_YEAR, US_FISCAL_YEAR, COUNTRY, ORGANIZATION, ASSET_TYPE, CYBER_ENABLED]) { count } }',
      );
      expect(tooMany.data?.assetSeizureAggregates ?? null).toBeNull();
      expect(tooMany.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'AGGREGATE_GROUP_LIMIT_EXCEEDED', limit: 1000 }),
      ]);
      expect(tooMany.errors![0]!.message).toMatch(/more than 1000 groups/i);
    });

    it.each([
      ['sanctionsDesignationAggregates', 'organization: "not a slug"', 'organization'],
      ['sanctionsDesignationAggregates', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
      ['assetSeizureAggregates', 'region: "US-TX"', 'region'],
      ['assetSeizureAggregates', 'country: "CA"', 'country'],
      ['assetSeizureAggregates', 'organization: "sinaloa"', 'organization'],
    ])('refuses %s(%s) as BAD_USER_INPUT naming %s', async (field, args, argument) => {
      const bad = await subgraph.execute(`{ ${field}(${args}) { count } }`);
      expect(bad.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])).toEqual([
        ['BAD_USER_INPUT', argument],
      ]);
      expect(bad.errors![0]!.message).not.toMatch(/prisma|select |\.ts\b/i);
      // The list refuses the same filter the same way.
      const list = field === 'sanctionsDesignationAggregates' ? 'sanctionsDesignations' : 'assetSeizures';
      const listed = await subgraph.execute(`{ ${list}(${args}) { totalCount } }`);
      expect(listed.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])).toEqual([
        ['BAD_USER_INPUT', argument],
      ]);
    });
  });
}
