import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import {
  describeOn,
  startTestSubgraph,
  TEST_CALLER,
  TEST_CALLER_MX,
  TEST_DATABASES,
  visibleTo,
  type TestSubgraph,
} from '@bicentennial/testing';
import { organizationSlugs } from '@bicentennial/seeds';
import type { ExtraditionCase, Prisma, PrismaClient, TransferAction } from '../generated/prisma/client';
import * as extradition from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';
import { extraditionCase } from './cases';

interface CaseGroup {
  calendarYear: number | null;
  fiscalYear: number | null;
  country: string | null;
  requestingCountry: string | null;
  organization: { slug: string } | null;
  caseStatus: string | null;
  mechanism: string | null;
  notable: boolean | null;
  status: string | null;
  count: number;
}

interface TransferGroup {
  calendarYear: number | null;
  fiscalYear: number | null;
  country: string | null;
  mechanism: string | null;
  status: string | null;
  count: number;
  totalPersonsTransferred: number;
  averagePersonsTransferred: number | null;
}

const CASE_GROUP =
  'calendarYear fiscalYear country requestingCountry organization { slug } caseStatus mechanism notable status count';
const TRANSFER_GROUP =
  'calendarYear fiscalYear country mechanism status count totalPersonsTransferred averagePersonsTransferred';

/** A U.S. fiscal year N runs from 1 October of N-1 to 30 September of N. */
const fiscalYearOf = (day: Date) => day.getUTCFullYear() + (day.getUTCMonth() >= 9 ? 1 : 0);
const on = (day: string) => new Date(`${day}T00:00:00Z`);
const DAY = 86_400_000;

/** The groups the rows make, computed here in JavaScript: each key (as JSON) with its rows. */
function groupRows<R>(rows: R[], keyOf: (row: R) => Record<string, unknown>): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = JSON.stringify(keyOf(row));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

/** Case groups as counts by key, computed from the rows. */
const expectedCases = (rows: ExtraditionCase[], keyOf: (row: ExtraditionCase) => Record<string, unknown>) =>
  Object.fromEntries([...groupRows(rows, keyOf)].map(([key, members]) => [key, members.length]));

/** Case groups as the answer gives them, keyed the way `expectedCases` keys them. */
const answeredCases = (groups: CaseGroup[], keyOf: (group: CaseGroup) => Record<string, unknown>) =>
  Object.fromEntries(groups.map((g) => [JSON.stringify(keyOf(g)), g.count]));

/** Transfer groups with their people, computed from the rows (averages rounded for comparison). */
const expectedTransfers = (rows: TransferAction[], keyOf: (row: TransferAction) => Record<string, unknown>) =>
  Object.fromEntries(
    [...groupRows(rows, keyOf)].map(([key, members]) => {
      const total = members.reduce((sum, t) => sum + t.personsTransferred, 0);
      return [key, { count: members.length, total, average: Math.round((total / members.length) * 1e6) / 1e6 }];
    }),
  );
const answeredTransfers = (groups: TransferGroup[], keyOf: (group: TransferGroup) => Record<string, unknown>) =>
  Object.fromEntries(
    groups.map((g) => [
      JSON.stringify(keyOf(g)),
      {
        count: g.count,
        total: g.totalPersonsTransferred,
        average: g.averagePersonsTransferred === null ? null : Math.round(g.averagePersonsTransferred * 1e6) / 1e6,
      },
    ]),
  );

const MECHANISMS = ['FORMAL_EXTRADITION', 'NATIONAL_SECURITY_TRANSFER', 'PRISONER_TRANSFER_TREATY'] as const;
const RELEASABILITY = ['BOTH', 'US', 'MX', 'BOTH', 'US', 'BOTH', 'MX'] as const;

/**
 * Test transfers (labelled `AGG-TA-…`, from the synthetic source, so never mistaken for published
 * ones): every mechanism, both senders, both statuses, every releasability, one to six days long,
 * spread over 2016–2025 so that some cross 30 September / 1 October.
 */
const testTransfers = (count: number) =>
  Array.from({ length: count }, (_, i) => {
    const startedOn = new Date(on('2016-01-01').getTime() + i * 61 * DAY);
    const sendingCountry = i % 4 === 0 ? 'US' : 'MX';
    return {
      recordId: `AGG-TA-${i}`,
      objectiveId: '3.4.1',
      mechanism: MECHANISMS[i % 3]!,
      sendingCountry,
      receivingCountry: sendingCountry === 'US' ? 'MX' : 'US',
      startedOn,
      endedOn: new Date(startedOn.getTime() + (i % 6) * DAY),
      personsTransferred: 1 + ((i * 37) % 41),
      destinationCities: null,
      sourceId: SYNTHETIC_SOURCE_ID,
      status: i % 5 === 0 ? 'PROVISIONAL' : 'FINAL',
      releasableTo: RELEASABILITY[i % RELEASABILITY.length]!,
      recordedBy: 'test',
    } as const;
  });

let submissions = 0;
const submission = () => ({ idempotencyKey: `aggregates-test-${process.pid}-${++submissions}-${Date.now()}` });

for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`extradition aggregates on ${database.name}`, () => {
    let subgraph: TestSubgraph<PrismaClient>;
    let cases: ExtraditionCase[];
    let transfers: TransferAction[];

    beforeAll(async () => {
      subgraph = await startTestSubgraph(extradition, { on: database.kind });
      await loadSynthetic(subgraph.prisma, { seed: 11, cases: 4000 });
      await subgraph.prisma.transferAction.createMany({ data: testTransfers(90) });
      cases = await subgraph.prisma.extraditionCase.findMany();
      transfers = await subgraph.prisma.transferAction.findMany();
    }, 180_000);
    afterAll(() => subgraph?.close());

    const run = async <T>(query: string, as: Caller = TEST_CALLER) => {
      const { data, errors } = await subgraph.execute<T>(query, undefined, { as });
      expect([query, errors]).toEqual([query, undefined]);
      return data!;
    };
    const caseGroups = async (args: string, as?: Caller) =>
      (
        await run<{ groups: CaseGroup[] }>(
          `#graphql\n { groups: extraditionCaseAggregates${args ? `(${args})` : ''} { ${CASE_GROUP} } }`,
          as,
        )
      ).groups;
    const transferGroups = async (args: string, as?: Caller) =>
      (
        await run<{ groups: TransferGroup[] }>(
          `#graphql\n { groups: transferActionAggregates${args ? `(${args})` : ''} { ${TRANSFER_GROUP} } }`,
          as,
        )
      ).groups;
    /** The [code, field] of each error an operation is answered. */
    const refusal = async (query: string) => {
      const { data, errors } = await subgraph.execute(query);
      expect(data?.['groups'] ?? null).toBeNull();
      for (const error of errors ?? []) expect(error.message).not.toMatch(/prisma|select |\.ts\b|\n/i);
      return errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);
    };

    describe('extraditionCaseAggregates', () => {
      it('groups cases by stage by fiscal year in the database, as the rows add up', async () => {
        const groups = await caseGroups('groupBy: [CASE_STATUS, US_FISCAL_YEAR]');
        // The U.S. test caller reads what is released to the United States and to both countries.
        const released = cases.filter((c) => visibleTo(c, TEST_CALLER));
        expect(released.length).toBeGreaterThan(3000);
        expect(answeredCases(groups, (g) => ({ caseStatus: g.caseStatus, fiscalYear: g.fiscalYear }))).toEqual(
          expectedCases(released, (c) => ({ caseStatus: c.caseStatus, fiscalYear: fiscalYearOf(c.statusOn) })),
        );
        // Only the keys grouped by are set; groups come in ascending order of their keys.
        expect(
          groups.every(
            (g) =>
              g.calendarYear === null &&
              g.country === null &&
              g.requestingCountry === null &&
              g.organization === null &&
              g.mechanism === null &&
              g.notable === null &&
              g.status === null,
          ),
        ).toBe(true);
        const STAGES = ['REQUESTED', 'APPROVED', 'EXTRADITED', 'TRANSFERRED', 'DENIED'];
        const keys = groups.map((g) => [STAGES.indexOf(g.caseStatus!), g.fiscalYear!] as const);
        expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      });

      it('groups by organization, both countries, route, notability, provenance status and calendar year', async () => {
        const released = cases.filter((c) => visibleTo(c, TEST_CALLER));
        const byOrganization = await caseGroups('groupBy: [ORGANIZATION, COUNTRY]');
        expect(
          answeredCases(byOrganization, (g) => ({ organization: g.organization?.slug ?? null, country: g.country })),
        ).toEqual(expectedCases(released, (c) => ({ organization: c.organizationSlug, country: c.requestedCountry })));
        // The cases attributed to no organization are a group of their own.
        expect(byOrganization.some((g) => g.organization === null && g.count > 0)).toBe(true);

        const byRest = await caseGroups('groupBy: [REQUESTING_COUNTRY, MECHANISM, NOTABLE, STATUS, CALENDAR_YEAR]');
        expect(
          answeredCases(byRest, (g) => ({
            requestingCountry: g.requestingCountry,
            mechanism: g.mechanism,
            notable: g.notable,
            status: g.status,
            calendarYear: g.calendarYear,
          })),
        ).toEqual(
          expectedCases(released, (c) => ({
            requestingCountry: c.requestingCountry,
            mechanism: c.transferMechanism,
            notable: c.notable,
            status: c.status,
            calendarYear: c.statusOn.getUTCFullYear(),
          })),
        );
        // The seeded notable cases are there, with the synthetic ones.
        expect(new Set(byRest.map((g) => g.notable))).toEqual(new Set([true, false]));
      });

      it('counts a Mexican caller only what is released to Mexico and to both', async () => {
        const groups = await caseGroups('groupBy: [REQUESTING_COUNTRY, CASE_STATUS]', TEST_CALLER_MX);
        const forMexico = cases.filter((c) => visibleTo(c, TEST_CALLER_MX));
        expect(forMexico.length).toBeLessThan(cases.length);
        expect(
          answeredCases(groups, (g) => ({ requestingCountry: g.requestingCountry, caseStatus: g.caseStatus })),
        ).toEqual(
          expectedCases(forMexico, (c) => ({ requestingCountry: c.requestingCountry, caseStatus: c.caseStatus })),
        );
      });

      it('selects with every filter exactly the cases extraditionCases lists (its totalCount)', async () => {
        const FILTERS = [
          'period: { years: { kind: US_FISCAL, from: 2020, to: 2022 } }',
          'period: { from: "2019-03-01", to: "2021-02-28" }',
          'country: "US"',
          'region: "MX"',
          'organization: "SINALOA"',
          'status: FINAL',
          'sourceKind: OFFICIAL',
          'sourceKind: SYNTHETIC',
          'caseStatus: EXTRADITED',
          'requestingCountry: MX',
          'mechanism: PRISONER_TRANSFER_TREATY',
          'notable: true',
          'caseStatus: DENIED, organization: "CJNG", period: { years: { kind: CALENDAR, from: 2018, to: 2024 } }',
          // An array of an enum (`charges`) on both databases: PGlite learns the array types of
          // the enums the migrations create (schema/subgraph-kit/src/db/database.ts).
          'charge: MONEY_LAUNDERING',
        ];
        for (const args of FILTERS) {
          for (const as of [TEST_CALLER, TEST_CALLER_MX]) {
            const answer = await run<{ list: { totalCount: number }; all: CaseGroup[] }>(
              `#graphql\n { list: extraditionCases(${args}) { totalCount } all: extraditionCaseAggregates(${args}) { count } }`,
              as,
            );
            expect([args, answer.all]).toEqual([args, [{ count: answer.list.totalCount }]]);
            expect([args, answer.list.totalCount]).not.toEqual([args, 0]);
          }
        }
        // And the same cases the rows give, for one set of filters.
        const args =
          'organization: "SINALOA", caseStatus: EXTRADITED, period: { years: { kind: US_FISCAL, from: 2019, to: 2023 } }';
        const [all] = await caseGroups(args);
        const selected = cases.filter(
          (c) =>
            visibleTo(c, TEST_CALLER) &&
            c.organizationSlug === 'SINALOA' &&
            c.caseStatus === 'EXTRADITED' &&
            fiscalYearOf(c.statusOn) >= 2019 &&
            fiscalYearOf(c.statusOn) <= 2023,
        );
        expect(all!.count).toBe(selected.length);
        expect(selected.length).toBeGreaterThan(0);
      });

      it('puts a case in the fiscal year of its current stage: 30 September and 1 October apart, moved with it', async () => {
        const args =
          'groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR, CASE_STATUS], period: { from: "2019-09-30", to: "2019-10-01" }';
        const count = (groups: CaseGroup[], fiscalYear: number, caseStatus: string) =>
          groups.find((g) => g.fiscalYear === fiscalYear && g.calendarYear === 2019 && g.caseStatus === caseStatus)
            ?.count ?? 0;
        const before = await caseGroups(args);
        const recorded = await subgraph.execute(
          `#graphql
          mutation ($input: ExtraditionCaseInput!, $submission: SubmissionInput!) {
            recordExtraditionCase(input: $input, submission: $submission) { recordId }
          }`,
          {
            input: extraditionCase('AGG-EC-FY', { requestedOn: '2019-09-30', releasableTo: 'BOTH' }),
            submission: submission(),
          },
        );
        expect(recorded.errors).toBeUndefined();
        const requested = await caseGroups(args);
        expect(count(requested, 2019, 'REQUESTED') - count(before, 2019, 'REQUESTED')).toBe(1);
        expect(count(requested, 2020, 'APPROVED') - count(before, 2020, 'APPROVED')).toBe(0);

        // Approved on 1 October: its day, and so its years, are the new stage's.
        const moved = await subgraph.execute(
          `#graphql
          mutation ($submission: SubmissionInput!) {
            updateExtraditionCaseStatus(recordId: "AGG-EC-FY", status: APPROVED, on: "2019-10-01", submission: $submission) { status }
          }`,
          { submission: submission() },
        );
        expect(moved.errors).toBeUndefined();
        const approved = await caseGroups(args);
        expect(count(approved, 2019, 'REQUESTED')).toBe(count(before, 2019, 'REQUESTED'));
        expect(count(approved, 2020, 'APPROVED') - count(before, 2020, 'APPROVED')).toBe(1);
        await subgraph.prisma.extraditionCase.delete({ where: { recordId: 'AGG-EC-FY' } });
      });

      it('answers one group of everything selected without groupBy, and a group of none when nothing is', async () => {
        const [all] = await caseGroups('');
        expect(all!.count).toBe(cases.filter((c) => visibleTo(c, TEST_CALLER)).length);
        const none = await caseGroups('period: { from: "1990-01-01", to: "1990-12-31" }');
        expect(none).toEqual([
          {
            calendarYear: null,
            fiscalYear: null,
            country: null,
            requestingCountry: null,
            organization: null,
            caseStatus: null,
            mechanism: null,
            notable: null,
            status: null,
            count: 0,
          },
        ]);
      });

      it('refuses more than 1,000 groups, bad filters and anonymous callers with clear errors', async () => {
        // 1,100 test cases, each its own year, organization and stage: more groups than the limit.
        const organizations = [...organizationSlugs()].sort();
        const STAGES = ['REQUESTED', 'APPROVED', 'EXTRADITED', 'TRANSFERRED', 'DENIED'] as const;
        const extra = Array.from({ length: 1100 }, (_, i) => ({
          recordId: `AGG-EC-LIMIT-${i}`,
          objectiveId: '3.4.1',
          person: `Synthetic person AGG-${i}`,
          requestingCountry: 'US',
          requestedCountry: 'MX',
          caseStatus: STAGES[Math.floor(i / (26 * organizations.length)) % STAGES.length]!,
          statusOn: on(`${2000 + (i % 26)}-06-01`),
          transferMechanism: 'FORMAL_EXTRADITION',
          organizationSlug: organizations[Math.floor(i / 26) % organizations.length]!,
          sourceId: SYNTHETIC_SOURCE_ID,
          recordedBy: 'test',
        })) satisfies Prisma.ExtraditionCaseCreateManyInput[];
        expect(26 * organizations.length * STAGES.length).toBeGreaterThan(extra.length);
        await subgraph.prisma.extraditionCase.createMany({ data: extra });
        const tooMany = await subgraph.execute(
          '{ groups: extraditionCaseAggregates(groupBy: [CALENDAR_YEAR, ORGANIZATION, CASE_STATUS]) { count } }',
        );
        await subgraph.prisma.extraditionCase.deleteMany({ where: { recordId: { startsWith: 'AGG-EC-LIMIT-' } } });
        expect(tooMany.errors?.map((e) => e.extensions)).toEqual([
          expect.objectContaining({ code: 'AGGREGATE_GROUP_LIMIT_EXCEEDED', limit: 1000 }),
        ]);
        expect(tooMany.errors![0]!.message).toMatch(/more than 1000 groups/i);

        expect(await refusal('{ groups: extraditionCaseAggregates(region: "US-TX") { count } }')).toEqual([
          ['BAD_USER_INPUT', 'region'],
        ]);
        expect(await refusal('{ groups: extraditionCaseAggregates(country: "CA") { count } }')).toEqual([
          ['BAD_USER_INPUT', 'country'],
        ]);
        expect(await refusal('{ groups: extraditionCaseAggregates(organization: "sinaloa") { count } }')).toEqual([
          ['BAD_USER_INPUT', 'organization'],
        ]);
        expect(
          await refusal(
            '{ groups: extraditionCaseAggregates(period: { from: "2024-02-01", to: "2024-01-01" }) { count } }',
          ),
        ).toEqual([['BAD_USER_INPUT', 'period']]);

        const anonymous = await subgraph.execute('{ groups: extraditionCaseAggregates { count } }', undefined, {
          as: ANONYMOUS,
        });
        expect(anonymous.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
        expect(anonymous.data?.['groups'] ?? null).toBeNull();
      });
    });

    describe('transferActionAggregates', () => {
      it('counts and sums the persons sent by mechanism by fiscal year, as the rows add up', async () => {
        const groups = await transferGroups('groupBy: [MECHANISM, US_FISCAL_YEAR]');
        const released = transfers.filter((t) => visibleTo(t, TEST_CALLER));
        expect(released.length).toBeGreaterThan(50);
        expect(answeredTransfers(groups, (g) => ({ mechanism: g.mechanism, fiscalYear: g.fiscalYear }))).toEqual(
          expectedTransfers(released, (t) => ({ mechanism: t.mechanism, fiscalYear: fiscalYearOf(t.endedOn) })),
        );
        expect(groups.every((g) => g.calendarYear === null && g.country === null && g.status === null)).toBe(true);
        const keys = groups.map((g) => [MECHANISMS.indexOf(g.mechanism as never), g.fiscalYear!] as const);
        expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));

        const byCountry = await transferGroups('groupBy: [COUNTRY, STATUS, CALENDAR_YEAR]');
        expect(
          answeredTransfers(byCountry, (g) => ({ country: g.country, status: g.status, calendarYear: g.calendarYear })),
        ).toEqual(
          expectedTransfers(released, (t) => ({
            country: t.sendingCountry,
            status: t.status,
            calendarYear: t.endedOn.getUTCFullYear(),
          })),
        );
      });

      it('counts a Mexican caller only what is released to Mexico and to both', async () => {
        const groups = await transferGroups('groupBy: [COUNTRY, MECHANISM]', TEST_CALLER_MX);
        const forMexico = transfers.filter((t) => visibleTo(t, TEST_CALLER_MX));
        expect(forMexico.length).toBeLessThan(transfers.length);
        expect(answeredTransfers(groups, (g) => ({ country: g.country, mechanism: g.mechanism }))).toEqual(
          expectedTransfers(forMexico, (t) => ({ country: t.sendingCountry, mechanism: t.mechanism })),
        );
      });

      it('selects with every filter exactly the transfers transferActions lists (its totalCount)', async () => {
        const FILTERS = [
          'period: { years: { kind: US_FISCAL, from: 2020, to: 2022 } }',
          'period: { from: "2018-01-01", to: "2019-06-30" }',
          'country: "US"',
          'region: "MX"',
          'status: PROVISIONAL',
          'sourceKind: OFFICIAL',
          'mechanism: NATIONAL_SECURITY_TRANSFER',
          'mechanism: FORMAL_EXTRADITION, country: "MX", period: { years: { kind: CALENDAR, from: 2017, to: 2021 } }',
        ];
        for (const args of FILTERS) {
          for (const as of [TEST_CALLER, TEST_CALLER_MX]) {
            const answer = await run<{ list: { totalCount: number }; all: TransferGroup[] }>(
              `#graphql\n { list: transferActions(${args}) { totalCount } all: transferActionAggregates(${args}) { count } }`,
              as,
            );
            expect([args, answer.all]).toEqual([args, [{ count: answer.list.totalCount }]]);
            expect([args, answer.list.totalCount]).not.toEqual([args, 0]);
          }
        }
      });

      it("puts a transfer in the year of its last day, as the list's period does", async () => {
        // The published prisoner-transfer-treaty returns ran from 1 August to 5 December 2025:
        // calendar year 2025, U.S. fiscal year 2026 (from 1 October 2025), by their last day.
        const fiscal2026 = 'period: { years: { kind: US_FISCAL, from: 2026 } }, mechanism: PRISONER_TRANSFER_TREATY';
        const answer = await run<{
          list: { totalCount: number; nodes: { recordId: string }[] };
          groups: TransferGroup[];
        }>(
          `#graphql\n { list: transferActions(${fiscal2026}) { totalCount nodes { recordId } }
            groups: transferActionAggregates(${fiscal2026}, groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR]) { ${TRANSFER_GROUP} } }`,
        );
        expect(answer.list.nodes.map((n) => n.recordId)).toContain('US-MX-PRISONER-TRANSFER-2025');
        expect(answer.groups.map((g) => [g.fiscalYear, g.calendarYear, g.count])).toEqual([
          [2026, 2025, answer.list.totalCount],
        ]);

        // A transfer ending on 30 September and one ending on 1 October are in different fiscal years.
        const args = 'groupBy: [US_FISCAL_YEAR, CALENDAR_YEAR], period: { from: "2019-09-30", to: "2019-10-01" }';
        const before = await transferGroups(args);
        const [template] = testTransfers(1);
        await subgraph.prisma.transferAction.createMany({
          data: [
            { ...template!, recordId: 'AGG-TA-FY-END', startedOn: on('2019-09-28'), endedOn: on('2019-09-30') },
            { ...template!, recordId: 'AGG-TA-FY-START', startedOn: on('2019-09-28'), endedOn: on('2019-10-01') },
          ],
        });
        const after = await transferGroups(args);
        const count = (groups: TransferGroup[], fiscalYear: number) =>
          groups.find((g) => g.fiscalYear === fiscalYear && g.calendarYear === 2019)?.count ?? 0;
        expect(count(after, 2019) - count(before, 2019)).toBe(1);
        expect(count(after, 2020) - count(before, 2020)).toBe(1);
        await subgraph.prisma.transferAction.deleteMany({
          where: { recordId: { in: ['AGG-TA-FY-END', 'AGG-TA-FY-START'] } },
        });
      });

      it('answers one group of everything without groupBy, a group of none, and refuses bad filters and anonymous callers', async () => {
        const [all] = await transferGroups('');
        const released = transfers.filter((t) => visibleTo(t, TEST_CALLER));
        const persons = released.reduce((sum, t) => sum + t.personsTransferred, 0);
        expect(all).toMatchObject({
          count: released.length,
          totalPersonsTransferred: persons,
          averagePersonsTransferred: expect.closeTo(persons / released.length, 6),
        });
        expect(await transferGroups('period: { from: "1990-01-01", to: "1990-12-31" }')).toEqual([
          {
            calendarYear: null,
            fiscalYear: null,
            country: null,
            mechanism: null,
            status: null,
            count: 0,
            totalPersonsTransferred: 0,
            averagePersonsTransferred: null,
          },
        ]);

        expect(await refusal('{ groups: transferActionAggregates(country: "CA") { count } }')).toEqual([
          ['BAD_USER_INPUT', 'country'],
        ]);
        expect(await refusal('{ groups: transferActionAggregates(region: "US-TX") { count } }')).toEqual([
          ['BAD_USER_INPUT', 'region'],
        ]);

        // Released to each caller exactly as the rows are: a U.S. caller, a Mexican one, nobody anonymous.
        for (const as of [TEST_CALLER, TEST_CALLER_MX]) {
          const answer = await run<{ list: { totalCount: number }; all: TransferGroup[] }>(
            '{ list: transferActions { totalCount } all: transferActionAggregates { count } }',
            as,
          );
          expect(answer.all).toEqual([{ count: transfers.filter((t) => visibleTo(t, as)).length }]);
          expect(answer.list.totalCount).toBe(answer.all[0]!.count);
        }
        const anonymous = await subgraph.execute('{ groups: transferActionAggregates { count } }', undefined, {
          as: ANONYMOUS,
        });
        expect(anonymous.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
        expect(anonymous.data?.['groups'] ?? null).toBeNull();
      });
    });
  });
}
