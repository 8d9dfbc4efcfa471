import {
  recordsSuite,
  releasedTo,
  startTestSubgraph,
  TEST_CALLER,
  TEST_CALLER_MX,
  TEST_RECORDED_BY,
  type TestSubgraph,
  listFilterProbe,
  on,
  between,
  BY_YEAR_OF_DAY,
} from '@bicentennial/testing';
import { organizationSlugs } from '@bicentennial/seeds';
import { ORGANIZATIONS } from '@bicentennial/seeds/synthetic/firearms';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { landPorts } from '../records/references';
import { readRecords, SYNTHETIC_SAMPLE } from '../seed';
import * as firearms from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';
import { firearmSeizures, seizure, SOURCE, trafficking, traffickingCases } from './cases';

type Errors = readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);

const RECORD_SEIZURE = `#graphql
  mutation Record($input: FirearmSeizureInput!, $submission: SubmissionInput!) {
    recordFirearmSeizure(input: $input, submission: $submission) {
      id recordId seizedOn firearmType firearms ammunitionRounds seizingAgency
      country { code } state { code } port { code } organization { slug } objective { id }
      provenance { source { id kind } status releasableTo recordedBy recordedAt }
    }
  }
`;

const RECORD_CASE = `#graphql
  mutation Record($input: TraffickingCaseInput!, $submission: SubmissionInput!) {
    recordTraffickingCase(input: $input, submission: $submission) {
      id recordId office openedOn chargedOn caseStatus defendants firearmsInvolved highLevel
      country { code } organization { slug } objective { id }
      provenance { source { id kind } status releasableTo recordedBy }
    }
  }
`;

const UPDATE_CASE = `#graphql
  mutation Update($recordId: ID!, $status: CaseStatus!, $on: Date!, $submission: SubmissionInput!) {
    updateTraffickingCaseStatus(recordId: $recordId, status: $status, on: $on, submission: $submission) {
      recordId openedOn chargedOn closedOn caseStatus statusChangedBy statusChangedAt
      provenance { recordedBy }
    }
  }
`;

interface MovedCase {
  recordId: string;
  openedOn: string;
  chargedOn: string | null;
  closedOn: string | null;
  caseStatus: string;
  statusChangedBy: string | null;
  statusChangedAt: string | null;
  provenance: { recordedBy: string };
}

const IMPORT_CASES = `#graphql
  mutation Import($rows: [TraffickingCaseInput!]!, $dryRun: Boolean) {
    importTraffickingCases(rows: $rows, submittedBy: "usao-import", dryRun: $dryRun) {
      received inserted alreadyPresent dryRun errors { row field code message }
    }
  }
`;

/** A source every test record can name (registered in `beforeAll` through the mutation). */

let keyCounter = 0;
const submission = (key?: string) => ({
  idempotencyKey: key ?? `test-key-${++keyCounter}-${Date.now()}`,
  submittedBy: 'officer.ruiz@cbp',
});

interface RecordedSeizure {
  id: string;
  recordId: string;
  country: { code: string };
  state: { code: string };
  port: { code: string } | null;
  organization: { slug: string } | null;
  objective: { id: string };
  provenance: {
    source: { id: string; kind: string };
    status: string;
    releasableTo: string;
    recordedBy: string;
    recordedAt: string;
  };
}

interface Trace {
  period: string;
  periodKind: string;
  periodStart: string;
  periodEnd: string;
  recoveryCountry: { code: string };
  recoveryState: { code: string } | null;
  sourceCountry: { code: string } | null;
  tracedCount: number | null;
  usSourcedCount: number | null;
  usSourcedShare: number | null;
  qualifier: string;
  objective: { id: string };
  provenance: { source: { id: string; kind: string }; status: string; releasableTo: string; recordedBy: string };
}

const TRACE_FIELDS = `period periodKind periodStart periodEnd recoveryCountry { code } recoveryState { code }
  sourceCountry { code } tracedCount usSourcedCount usSourcedShare qualifier objective { id }
  provenance { source { id kind } status releasableTo recordedBy }`;

/**
 * ATF's and GAO's figures for firearms recovered in Mexico, copied by hand from
 * shared/reference/public-figures.md §3 on purpose: [period, kind, traced, U.S.-sourced, share %,
 * qualifier, source].
 */
const PUBLISHED_TRACES: [string, string, number | null, number | null, number | null, string, string][] = [
  ['2004/2008', 'MULTI_YEAR', null, null, 87, 'APPROXIMATE', 'gao-09-709'],
  ['2007/2011', 'MULTI_YEAR', 99000, 68000, null, 'AT_LEAST', 'atf-mexico-trace-release-2012'],
  ['2014/2018', 'MULTI_YEAR', null, null, 70, 'EXACT', 'gao-21-322'],
  ['2015', 'CALENDAR_YEAR', 17784, null, null, 'EXACT', 'atf-international-trace-data-2016'],
  ['2016', 'CALENDAR_YEAR', 13452, null, null, 'EXACT', 'atf-international-trace-data-2016'],
  ['2017/2022', 'MULTI_YEAR', 123741, 83560, 67.5, 'EXACT', 'atf-trace-data-mexico-2017-2022'],
  ['2018/2023', 'MULTI_YEAR', 136894, 91896, 67.13, 'EXACT', 'atf-trace-data-mexico-2018-2023'],
  ['2024', 'CALENDAR_YEAR', 25884, 18249, 70.5, 'EXACT', 'atf-trace-data-mexico-2024'],
];

describe('firearms records', () => {
  let subgraph: TestSubgraph<PrismaClient>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(firearms);
    const { errors } = await subgraph.execute(
      `#graphql
      mutation ($input: SourceInput!, $submission: SubmissionInput!) {
        registerFirearmsSource(input: $input, submission: $submission) { id }
      }`,
      {
        input: {
          id: SOURCE,
          publisher: 'U.S. Customs and Border Protection (CBP)',
          title: 'Outbound firearm seizures (test submission)',
          kind: 'OFFICIAL',
        },
        submission: submission('register-source-0001'),
      },
    );
    if (errors) throw new Error(errors[0]!.message);
  });
  afterAll(() => subgraph.close());

  it('gives every published trace figure exactly as ATF and GAO published it, aggregates kept whole', async () => {
    const { data, errors } = await subgraph.execute<{
      firearmTraces: Trace[];
      traceRequestStatistics: { period: string; requests: number; requestingCountry: { code: string } }[];
    }>(`#graphql
      { firearmTraces(country: "MX") { ${TRACE_FIELDS} }
        traceRequestStatistics(country: "MX") { period requests requestingCountry { code } } }`);
    expect(errors).toBeUndefined();
    expect(
      data!.firearmTraces.map((t) => [
        t.period,
        t.periodKind,
        t.tracedCount,
        t.usSourcedCount,
        t.usSourcedShare,
        t.qualifier,
        t.provenance.source.id,
      ]),
    ).toEqual(PUBLISHED_TRACES);
    expect(data!.firearmTraces).toHaveLength(readRecords().firearmTraces.length);
    for (const trace of data!.firearmTraces) {
      expect(trace).toMatchObject({
        recoveryCountry: { code: 'MX' },
        recoveryState: null,
        sourceCountry: null,
        objective: { id: '2.2.1' },
        provenance: { source: { kind: 'OFFICIAL' }, status: 'FINAL', releasableTo: 'BOTH', recordedBy: 'seed' },
      });
    }
    const whole = data!.firearmTraces.find((t) => t.period === '2017/2022');
    expect([whole?.periodStart, whole?.periodEnd]).toEqual(['2017-01-01', '2022-12-31']);
    expect(data!.traceRequestStatistics).toEqual([
      { period: '2017', requests: 16133, requestingCountry: { code: 'MX' } },
      { period: '2022', requests: 24642, requestingCountry: { code: 'MX' } },
    ]);

    const none = await subgraph.execute<{ firearmTraces: Trace[] }>(
      '#graphql\n { firearmTraces(country: "US") { period } }',
    );
    expect(none.data!.firearmTraces).toEqual([]);
    const badState = await subgraph.execute('#graphql\n { firearmTraces(country: "MX", state: "US-TX") { period } }');
    expect(codes(badState.errors)).toEqual([['BAD_USER_INPUT', 'state']]);
    const badCountry = await subgraph.execute('#graphql\n { firearmTraces(country: "CA") { period } }');
    expect(codes(badCountry.errors)).toEqual([['BAD_USER_INPUT', 'country']]);
  });

  it('labels the synthetic sample SYNTHETIC and puts most port seizures at the busiest crossings', async () => {
    const { data } = await subgraph.execute<{
      firearmSeizures: {
        totalCount: number;
        nodes: { recordId: string; provenance: { source: { id: string; kind: string }; recordedBy: string } }[];
      };
      traffickingCases: { totalCount: number };
    }>(`#graphql
      { firearmSeizures(first: 100) { totalCount nodes { recordId provenance { source { id kind } recordedBy } } }
        traffickingCases(first: 1) { totalCount } }`);
    // The test caller is a U.S. caller: the sample's records released to Mexico only are not counted.
    expect(await subgraph.prisma.firearmSeizure.count()).toBe(SYNTHETIC_SAMPLE.firearmSeizures);
    expect(await subgraph.prisma.traffickingCase.count()).toBe(SYNTHETIC_SAMPLE.traffickingCases);
    const released = await subgraph.prisma.firearmSeizure.count({ where: releasedTo() });
    expect(released).toBeLessThan(SYNTHETIC_SAMPLE.firearmSeizures);
    expect(data!.firearmSeizures.totalCount).toBe(released);
    expect(data!.traffickingCases.totalCount).toBe(
      await subgraph.prisma.traffickingCase.count({ where: releasedTo() }),
    );
    expect(
      data!.firearmSeizures.nodes.every(
        (n) =>
          n.provenance.source.id === SYNTHETIC_SOURCE_ID &&
          n.provenance.source.kind === 'SYNTHETIC' &&
          n.provenance.recordedBy === 'synthetic' &&
          n.recordId.startsWith('SYN-FS-1-'),
      ),
    ).toBe(true);
    const byPort = await subgraph.prisma.firearmSeizure.groupBy({
      by: ['portCode'],
      where: { portCode: { not: null } },
      _count: { _all: true },
      orderBy: { _count: { portCode: 'desc' } },
    });
    expect(byPort.slice(0, 5).map((p) => p.portCode)).toEqual(
      expect.arrayContaining(['2504', '2304', '2402', '2604', '2305']),
    );
    expect(byPort.every((p) => p.portCode !== null && landPorts().has(p.portCode))).toBe(true);
    const slugs = await subgraph.prisma.firearmSeizure.findMany({
      distinct: ['organizationSlug'],
      select: { organizationSlug: true },
    });
    const caseSlugs = await subgraph.prisma.traffickingCase.findMany({
      distinct: ['organizationSlug'],
      select: { organizationSlug: true },
    });
    for (const { organizationSlug } of [...slugs, ...caseSlugs]) {
      if (organizationSlug !== null)
        expect([organizationSlug, organizationSlugs().has(organizationSlug)]).toEqual([organizationSlug, true]);
    }
  });

  it('resolves every entity it extends or owns through _entities, with its records', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: Record<string, unknown>[] }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on FirearmsIndicator { id latest { period value } }
          ... on PortOfEntry { code firearmSeizures(first: 2) { totalCount nodes { port { code } } } }
          ... on CriminalOrganization { slug firearmsTraffickingCases(first: 1) { totalCount nodes { organization { slug } } }
                                        firearmSeizures(first: 1) { totalCount } }
          ... on Region { code firearmTraces { period } firearmSeizures(first: 1) { totalCount } }
          ... on JointObjective { id firearmTraces { period } traceRequestStatistics { period }
                                  firearmSeizures(first: 1) { totalCount } traffickingCases(first: 1) { totalCount } }
        }
      }`,
      {
        representations: [
          { __typename: 'FirearmsIndicator', id: '2.2.1/us-sourced-share' },
          { __typename: 'PortOfEntry', code: '2504' },
          { __typename: 'CriminalOrganization', slug: 'CJNG' },
          { __typename: 'Region', code: 'MX' },
          { __typename: 'Region', code: 'MX-CHH' },
          { __typename: 'JointObjective', id: '2.2.1' },
          { __typename: 'JointObjective', id: '2.2.2' },
          { __typename: 'JointObjective', id: '2.2.3' },
          { __typename: 'JointObjective', id: '1.1.1' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    const [indicator, sanYsidro, cjng, mexico, chihuahua, control, information, prosecution, health] = data!._entities;
    // What the U.S. test caller may see.
    const count = ({ where }: { where: Prisma.FirearmSeizureWhereInput }) =>
      subgraph.prisma.firearmSeizure.count({ where: { ...where, ...releasedTo() } });
    expect(indicator).toEqual({ id: '2.2.1/us-sourced-share', latest: { period: '2024', value: 70.5 } });
    expect(sanYsidro).toMatchObject({
      code: '2504',
      firearmSeizures: {
        totalCount: await count({ where: { portCode: '2504' } }),
        nodes: [{ port: { code: '2504' } }, { port: { code: '2504' } }],
      },
    });
    expect(cjng).toMatchObject({
      slug: 'CJNG',
      firearmsTraffickingCases: {
        totalCount: await subgraph.prisma.traffickingCase.count({
          where: { organizationSlug: 'CJNG', ...releasedTo() },
        }),
        nodes: [{ organization: { slug: 'CJNG' } }],
      },
      firearmSeizures: { totalCount: await count({ where: { organizationSlug: 'CJNG' } }) },
    });
    expect((cjng as { firearmSeizures: { totalCount: number } }).firearmSeizures.totalCount).toBeGreaterThan(0);
    expect(mexico).toEqual({
      code: 'MX',
      firearmTraces: PUBLISHED_TRACES.map(([period]) => ({ period })),
      firearmSeizures: { totalCount: await count({ where: { country: 'MX' } }) },
    });
    expect(chihuahua).toEqual({
      code: 'MX-CHH',
      firearmTraces: [],
      firearmSeizures: { totalCount: await count({ where: { stateCode: 'MX-CHH' } }) },
    });
    expect(control).toEqual({
      id: '2.2.1',
      firearmTraces: PUBLISHED_TRACES.map(([period]) => ({ period })),
      traceRequestStatistics: [],
      firearmSeizures: { totalCount: await count({ where: { objectiveId: '2.2.1' } }) },
      traffickingCases: { totalCount: 0 },
    });
    expect(information).toMatchObject({ traceRequestStatistics: [{ period: '2017' }, { period: '2022' }] });
    expect(prosecution).toMatchObject({
      firearmTraces: [],
      firearmSeizures: { totalCount: 0 },
      traffickingCases: {
        totalCount: await subgraph.prisma.traffickingCase.count({ where: { objectiveId: '2.2.3', ...releasedTo() } }),
      },
    });
    expect(health).toEqual({
      id: '1.1.1',
      firearmTraces: [],
      traceRequestStatistics: [],
      firearmSeizures: { totalCount: 0 },
      traffickingCases: { totalCount: 0 },
    });
  });

  it('gives a state its own trace figures and a country only its national ones', async () => {
    const published = await subgraph.prisma.firearmTrace.findFirstOrThrow({ where: { period: '2024' } });
    const { id: _id, recordedAt: _at, ...row } = published;
    await subgraph.prisma.firearmTrace.create({
      data: {
        ...row,
        recoveryState: 'MX-CHH',
        tracedCount: 100,
        usSourcedCount: null,
        usSourcedShare: null,
        sourceId: SYNTHETIC_SOURCE_ID,
        recordedBy: 'test',
      },
    });
    try {
      const { data } = await subgraph.execute<{
        _entities: { code: string; firearmTraces: { tracedCount: number; recoveryState: { code: string } | null }[] }[];
        firearmTraces: { tracedCount: number }[];
        byRegion: { tracedCount: number }[];
        mexico: { tracedCount: number; recoveryState: { code: string } | null }[];
      }>(
        `#graphql
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on Region { code firearmTraces { tracedCount recoveryState { code } } } }
          firearmTraces(state: "MX-CHH") { tracedCount }
          byRegion: firearmTraces(region: "MX-CHH") { tracedCount }
          mexico: firearmTraces(region: "MX") { tracedCount recoveryState { code } }
        }`,
        {
          representations: ['MX-CHH', 'MX', 'MX-SON'].map((code) => ({ __typename: 'Region', code })),
        },
      );
      const [chihuahua, mexico, sonora] = data!._entities;
      expect(chihuahua!.firearmTraces).toEqual([{ tracedCount: 100, recoveryState: { code: 'MX-CHH' } }]);
      expect(mexico!.firearmTraces).toHaveLength(PUBLISHED_TRACES.length);
      expect(mexico!.firearmTraces.every((t) => t.recoveryState === null)).toBe(true);
      expect(sonora!.firearmTraces).toEqual([]);
      // `region` as every list reads it: a state is that state's, a country its figures and its states'.
      expect(data!.byRegion).toEqual(data!.firearmTraces);
      expect(data!.mexico).toHaveLength(PUBLISHED_TRACES.length + 1);
      expect(data!.mexico.filter((t) => t.recoveryState?.code === 'MX-CHH')).toEqual([
        { tracedCount: 100, recoveryState: { code: 'MX-CHH' } },
      ]);
      const badRegion = await subgraph.execute('#graphql\n { firearmTraces(region: "Chihuahua") { period } }');
      expect(codes(badRegion.errors)).toEqual([['BAD_USER_INPUT', 'region']]);
      expect(data!.firearmTraces).toEqual([{ tracedCount: 100 }]);
    } finally {
      await subgraph.prisma.firearmTrace.deleteMany({ where: { recordedBy: 'test' } });
    }
  });

  it('records a firearm seizure with who, when and where from', async () => {
    const before = Date.now();
    const { data, errors } = await subgraph.execute<{ recordFirearmSeizure: RecordedSeizure }>(RECORD_SEIZURE, {
      input: seizure('CBP-FS-2025-0001'),
      submission: submission(),
    });
    expect(errors).toBeUndefined();
    expect(data!.recordFirearmSeizure).toMatchObject({
      recordId: 'CBP-FS-2025-0001',
      seizedOn: '2025-03-14',
      firearmType: 'RIFLE',
      firearms: 3,
      ammunitionRounds: 450,
      seizingAgency: 'CBP',
      country: { code: 'US' },
      state: { code: 'US-CA' },
      port: { code: '2504' },
      organization: { slug: 'CJNG' },
      objective: { id: '2.2.1' },
      provenance: {
        source: { id: SOURCE, kind: 'OFFICIAL' },
        status: 'FINAL',
        releasableTo: 'BOTH',
        recordedBy: TEST_RECORDED_BY,
      },
    });
    expect(new Date(data!.recordFirearmSeizure.provenance.recordedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);

    // The Mexican side of the same crossing: the port's counterpart state and a Mexican agency,
    // written by a Mexican caller (only they may release a record to Mexico alone).
    const mexicanSide = await subgraph.execute<{ recordFirearmSeizure: RecordedSeizure }>(
      RECORD_SEIZURE,
      {
        input: seizure('GN-FS-2025-0001', {
          country: 'MX',
          state: 'MX-BCN',
          seizingAgency: 'GUARDIA_NACIONAL',
          organization: null,
          releasableTo: 'MX',
          status: 'PROVISIONAL',
        }),
        submission: submission(),
      },
      { as: TEST_CALLER_MX },
    );
    expect(mexicanSide.errors).toBeUndefined();
    expect(mexicanSide.data!.recordFirearmSeizure).toMatchObject({
      country: { code: 'MX' },
      state: { code: 'MX-BCN' },
      port: { code: '2504' },
      organization: null,
      provenance: { status: 'PROVISIONAL', releasableTo: 'MX', recordedBy: 'test-writer-mx@TESTMX' },
    });
  });

  it('rejects a bad seizure with BAD_USER_INPUT naming the field (and an unknown port by its code), writing nothing', async () => {
    const count = await subgraph.prisma.firearmSeizure.count();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ portCode: '9999' }, 'input.portCode', /9999 is not a U.S.–Mexico land port/],
      [{ portCode: '25O4' }, 'input.portCode', /4-digit CBP port code/],
      [{ firearms: 0 }, 'input.firearms', /1 or more/],
      [{ ammunitionRounds: -1 }, 'input.ammunitionRounds', /0 or more/],
      [{ country: 'CA' }, 'input.country', /US or MX/],
      [{ state: 'MX-CHH', portCode: null }, 'input.state', /MX-CHH is not a state of US/],
      [{ state: 'US-XX', portCode: null }, 'input.state', /US-XX is not an ISO 3166-2 code/],
      [{ state: 'US-TX' }, 'input.state', /port 2504 is in US-CA.*state must be US-CA, not US-TX/],
      [{ country: 'MX', state: 'MX-SON', seizingAgency: 'SEDENA' }, 'input.state', /state must be MX-BCN/],
      [{ country: 'MX', state: 'MX-BCN' }, 'input.seizingAgency', /CBP is a U.S. agency/],
      [{ organization: 'cjng' }, 'input.organization', /organization slug/],
      [{ organization: 'LOS_PELONES' }, 'input.organization', /LOS_PELONES is not a criminal organization/],
      [{ seizedOn: '2099-01-01' }, 'input.seizedOn', /future/],
      [{ sourceId: 'nobody-published-this' }, 'input.sourceId', /source nobody-published-this does not exist/],
    ];
    for (const [overrides, field, message] of cases) {
      const { errors } = await subgraph.execute(RECORD_SEIZURE, {
        input: seizure(`CBP-BAD-${field}`, overrides),
        submission: submission(),
      });
      expect([field, codes(errors), errors?.[0]?.message]).toEqual([
        field,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const badKey = await subgraph.execute(RECORD_SEIZURE, {
      input: seizure('CBP-OK-1'),
      submission: { idempotencyKey: 'short', submittedBy: 'x' },
    });
    expect(codes(badKey.errors)).toEqual([['BAD_USER_INPUT', 'submission.idempotencyKey']]);
    expect(await subgraph.prisma.firearmSeizure.count()).toBe(count);
  });

  it('records a trafficking case with who, when and where from, and rejects a bad one naming the field', async () => {
    const { data, errors } = await subgraph.execute<{ recordTraffickingCase: Record<string, unknown> }>(RECORD_CASE, {
      input: trafficking('USAO-AZ-2024-0001'),
      submission: submission(),
    });
    expect(errors).toBeUndefined();
    expect(data!.recordTraffickingCase).toMatchObject({
      recordId: 'USAO-AZ-2024-0001',
      office: "U.S. Attorney's Office, District of Arizona",
      openedOn: '2024-02-01',
      chargedOn: '2024-06-15',
      caseStatus: 'CHARGED',
      defendants: 4,
      firearmsInvolved: 120,
      highLevel: true,
      country: { code: 'US' },
      organization: { slug: 'SINALOA' },
      objective: { id: '2.2.3' },
      provenance: { source: { id: SOURCE }, status: 'FINAL', releasableTo: 'BOTH', recordedBy: TEST_RECORDED_BY },
    });
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ chargedOn: '2024-01-01' }, 'input.chargedOn', /not be before openedOn/],
      [{ caseStatus: 'CONVICTED', chargedOn: null }, 'input.chargedOn', /required for a CONVICTED case/],
      [{ caseStatus: 'UNDER_INVESTIGATION' }, 'input.chargedOn', /empty while the case is UNDER_INVESTIGATION/],
      [{ closedOn: '2024-07-01' }, 'input.closedOn', /empty while the case is CHARGED/],
      [{ caseStatus: 'CONVICTED', closedOn: '2024-06-14' }, 'input.closedOn', /not be before chargedOn/],
      [
        { caseStatus: 'DISMISSED', chargedOn: null, closedOn: '2024-01-31' },
        'input.closedOn',
        /not be before openedOn/,
      ],
      [{ defendants: 0 }, 'input.defendants', /1 or more/],
      [{ firearmsInvolved: -2 }, 'input.firearmsInvolved', /0 or more/],
      [{ office: '  ' }, 'input.office', /not be empty/],
      [{ country: 'GT' }, 'input.country', /US or MX/],
      [{ organization: 'Sinaloa Cartel' }, 'input.organization', /organization slug/],
      [{ organization: 'EL_CARTEL_FANTASMA' }, 'input.organization', /not a criminal organization/],
    ];
    for (const [overrides, field, message] of bad) {
      const result = await subgraph.execute(RECORD_CASE, {
        input: trafficking(`USAO-BAD-${field}`, overrides),
        submission: submission(),
      });
      expect([field, codes(result.errors), result.errors?.[0]?.message]).toEqual([
        field,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }

    const count = await subgraph.prisma.traffickingCase.count();
    const rejected = await subgraph.execute<{ importTraffickingCases: { inserted: number; errors: unknown[] } }>(
      IMPORT_CASES,
      {
        rows: [trafficking('FGR-1', { country: 'MX', office: 'FGR, FEMDO' }), trafficking('FGR-2', { defendants: 0 })],
      },
    );
    expect(rejected.data!.importTraffickingCases).toMatchObject({
      inserted: 0,
      errors: [{ row: 1, field: 'defendants', code: 'BAD_USER_INPUT' }],
    });
    expect(await subgraph.prisma.traffickingCase.count()).toBe(count);
  });

  it('moves a trafficking case only along the allowed transitions, on days that do not go backwards', async () => {
    // Another verified U.S. caller moves the cases the test caller recorded.
    const paralegal = { ...TEST_CALLER, subject: 'paralegal.kim', agency: 'USAO' };
    const update = (variables: Record<string, unknown>, key = submission()) =>
      subgraph.execute<{ updateTraffickingCaseStatus: MovedCase }>(
        UPDATE_CASE,
        { submission: key, ...variables },
        { as: paralegal },
      );
    const open = { caseStatus: 'UNDER_INVESTIGATION', chargedOn: null };
    for (const recordId of ['USAO-FLOW-1', 'USAO-FLOW-2']) {
      const { errors } = await subgraph.execute(RECORD_CASE, {
        input: trafficking(recordId, open),
        submission: submission(),
      });
      expect(errors).toBeUndefined();
    }

    const charged = await update({ recordId: 'USAO-FLOW-1', status: 'CHARGED', on: '2024-05-20' });
    expect(charged.errors).toBeUndefined();
    expect(charged.data!.updateTraffickingCaseStatus).toMatchObject({
      caseStatus: 'CHARGED',
      openedOn: '2024-02-01',
      chargedOn: '2024-05-20',
      closedOn: null,
      statusChangedBy: 'paralegal.kim@USAO',
      provenance: { recordedBy: TEST_RECORDED_BY },
    });
    expect(Date.parse(charged.data!.updateTraffickingCaseStatus.statusChangedAt!)).toBeGreaterThan(Date.now() - 60_000);

    const refused: [Record<string, unknown>, string, RegExp][] = [
      [
        { recordId: 'USAO-FLOW-2', status: 'CONVICTED', on: '2024-09-10' },
        'status',
        /the trafficking case is UNDER_INVESTIGATION and cannot move to CONVICTED; it may move to CHARGED or DISMISSED/,
      ],
      [
        { recordId: 'USAO-FLOW-1', status: 'CHARGED', on: '2024-06-01' },
        'status',
        /CHARGED and cannot move to CHARGED/,
      ],
      [{ recordId: 'USAO-FLOW-1', status: 'UNDER_INVESTIGATION', on: '2024-06-01' }, 'status', /cannot move/],
      [
        { recordId: 'USAO-FLOW-1', status: 'CONVICTED', on: '2024-05-19' },
        'on',
        /must not be before 2024-05-20, when the trafficking case became CHARGED/,
      ],
      [
        { recordId: 'USAO-FLOW-2', status: 'DISMISSED', on: '2024-01-31' },
        'on',
        /must not be before 2024-02-01, when the trafficking case became UNDER_INVESTIGATION/,
      ],
      [{ recordId: 'USAO-FLOW-1', status: 'CONVICTED', on: '2099-01-01' }, 'on', /future/],
      [{ recordId: 'has spaces', status: 'CHARGED', on: '2024-06-01' }, 'recordId', /printable/],
    ];
    for (const [variables, field, message] of refused) {
      const { errors } = await update(variables);
      expect([variables, codes(errors), errors?.[0]?.message]).toEqual([
        variables,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const badDate = await update({ recordId: 'USAO-FLOW-1', status: 'CONVICTED', on: '2024-02-30' });
    expect(codes(badDate.errors)?.[0]?.[0]).toBe('BAD_USER_INPUT');
    expect(await subgraph.prisma.traffickingCase.findUnique({ where: { recordId: 'USAO-FLOW-1' } })).toMatchObject({
      caseStatus: 'CHARGED',
      closedOn: null,
    });

    const convicted = await update({ recordId: 'USAO-FLOW-1', status: 'CONVICTED', on: '2025-01-15' });
    expect(convicted.data!.updateTraffickingCaseStatus).toMatchObject({
      caseStatus: 'CONVICTED',
      chargedOn: '2024-05-20',
      closedOn: '2025-01-15',
    });
    const final = await update({ recordId: 'USAO-FLOW-1', status: 'DISMISSED', on: '2025-02-01' });
    expect(codes(final.errors)).toEqual([['BAD_USER_INPUT', 'status']]);
    expect(final.errors?.[0]?.message).toMatch(
      /the trafficking case is CONVICTED and cannot move to DISMISSED: that status is final/,
    );

    const dismissed = await update({ recordId: 'USAO-FLOW-2', status: 'DISMISSED', on: '2024-03-01' });
    expect(dismissed.data!.updateTraffickingCaseStatus).toMatchObject({
      caseStatus: 'DISMISSED',
      chargedOn: null,
      closedOn: '2024-03-01',
    });

    // The original record, sent again under a new key, now differs from the stored case.
    const resent = await subgraph.execute(RECORD_CASE, {
      input: trafficking('USAO-FLOW-2', open),
      submission: submission(),
    });
    expect(codes(resent.errors)).toEqual([['CONFLICT', undefined]]);

    const missing = await update({ recordId: 'USAO-NO-SUCH-CASE', status: 'CHARGED', on: '2024-10-01' });
    expect(codes(missing.errors)).toEqual([['NOT_FOUND', undefined]]);
    expect(missing.errors?.[0]?.message).toMatch(/USAO-NO-SUCH-CASE does not exist/);
  });

  it('filters seizures and pages through lists newest first without gaps or repeats', async () => {
    type PageResult = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: { id: string; date: string }[];
    };
    const walk = async (query: string, pick: (data: Record<string, unknown>) => PageResult) => {
      const seen: { id: string; date: string }[] = [];
      let after: string | null = null;
      let total = 0;
      for (let pages = 0; pages < 100; pages++) {
        const result = await subgraph.execute(query, { after });
        const page = pick(result.data!);
        total = page.totalCount;
        seen.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen.map((s) => s.id)).size).toBe(total);
      expect(seen.map((s) => s.date)).toEqual(
        seen
          .map((s) => s.date)
          .sort()
          .reverse(),
      );
      return total;
    };
    const PAGE = 'totalCount pageInfo { hasNextPage endCursor }';
    const portTotal = await walk(
      `#graphql
      query ($after: String) { _entities(representations: [{ __typename: "PortOfEntry", code: "2304" }]) {
        ... on PortOfEntry { firearmSeizures(first: 7, after: $after) { ${PAGE} nodes { id date: seizedOn } } } } }`,
      (data) => (data['_entities'] as { firearmSeizures: PageResult }[])[0]!.firearmSeizures,
    );
    expect(portTotal).toBeGreaterThan(50);
    expect(portTotal).toBe(
      await subgraph.prisma.firearmSeizure.count({ where: { portCode: '2304', ...releasedTo() } }),
    );

    const caseTotal = await walk(
      `#graphql
      query ($after: String) { _entities(representations: [{ __typename: "CriminalOrganization", slug: "SINALOA" }]) {
        ... on CriminalOrganization { firearmsTraffickingCases(first: 6, after: $after) { ${PAGE} nodes { id date: openedOn } } } } }`,
      (data) => (data['_entities'] as { firearmsTraffickingCases: PageResult }[])[0]!.firearmsTraffickingCases,
    );
    expect(caseTotal).toBe(
      await subgraph.prisma.traffickingCase.count({ where: { organizationSlug: 'SINALOA', ...releasedTo() } }),
    );

    const filteredTotal = await walk(
      `#graphql
      query ($after: String) { firearmSeizures(country: "MX", organization: "CJNG", from: "2020-01-01", to: "2024-12-31",
                                               first: 9, after: $after) { ${PAGE} nodes { id date: seizedOn } } }`,
      (data) => data['firearmSeizures'] as PageResult,
    );
    expect(filteredTotal).toBe(
      await subgraph.prisma.firearmSeizure.count({
        where: {
          ...releasedTo(),
          country: 'MX',
          organizationSlug: 'CJNG',
          seizedOn: { gte: new Date('2020-01-01'), lte: new Date('2024-12-31') },
        },
      }),
    );

    const garbage = await subgraph.execute('#graphql\n { firearmSeizures(after: "not-a-cursor") { totalCount } }');
    expect(codes(garbage.errors)).toEqual([['BAD_USER_INPUT', 'after']]);
    const tooMany = await subgraph.execute('#graphql\n { traffickingCases(first: 500) { totalCount } }');
    expect(codes(tooMany.errors)).toEqual([['BAD_USER_INPUT', 'first']]);
    const wrongState = await subgraph.execute(
      '#graphql\n { firearmSeizures(country: "US", state: "MX-SON") { totalCount } }',
    );
    expect(codes(wrongState.errors)).toEqual([['BAD_USER_INPUT', 'state']]);
  });

  describe('the shared list filters', () => {
    const FIXTURES = {
      seizures: ['FILTER-FS-2023-10-15', 'FILTER-FS-2024-10-15'],
      cases: ['FILTER-TC-2023-10-15', 'FILTER-TC-2024-10-15'],
    };
    const { total, refusal, yearsGained } = listFilterProbe(() => subgraph);

    const countSeizures = (where: Prisma.FirearmSeizureWhereInput) =>
      subgraph.prisma.firearmSeizure.count({ where: { AND: [where, releasedTo()] } });
    const countCases = (where: Prisma.TraffickingCaseWhereInput) =>
      subgraph.prisma.traffickingCase.count({ where: { AND: [where, releasedTo()] } });

    /**
     * Copies of seeded rows on `day`, provisional; the first from an official source, the second
     * from the synthetic one, so that the status and source filters have rows to tell apart.
     */
    const sourceOf = async (n: number) =>
      n === 1
        ? SYNTHETIC_SOURCE_ID
        : (await subgraph.prisma.source.findFirstOrThrow({ where: { kind: 'OFFICIAL' }, orderBy: { id: 'asc' } })).id;
    const insertSeizure = async (day: string, n: number) => {
      // The years are generated columns: the database derives them from the new day.
      const {
        id: _id,
        calendarYear: _calendarYear,
        fiscalYear: _fiscalYear,
        ...seeded
      } = await subgraph.prisma.firearmSeizure.findFirstOrThrow({
        where: { portCode: '2304', releasableTo: 'BOTH' },
        orderBy: { recordId: 'asc' },
      });
      await subgraph.prisma.firearmSeizure.create({
        data: {
          ...seeded,
          recordId: FIXTURES.seizures[n]!,
          seizedOn: on(day),
          status: 'PROVISIONAL',
          sourceId: await sourceOf(n),
        },
      });
    };
    const insertCase = async (day: string, n: number) => {
      const {
        id: _id,
        calendarYear: _calendarYear,
        fiscalYear: _fiscalYear,
        ...seeded
      } = await subgraph.prisma.traffickingCase.findFirstOrThrow({
        where: { organizationSlug: 'SINALOA', releasableTo: 'BOTH' },
        orderBy: { recordId: 'asc' },
      });
      await subgraph.prisma.traffickingCase.create({
        data: {
          ...seeded,
          recordId: FIXTURES.cases[n]!,
          openedOn: on(day),
          status: 'PROVISIONAL',
          sourceId: await sourceOf(n),
        },
      });
    };
    const removeFixtures = async () => {
      await subgraph.prisma.firearmSeizure.deleteMany({ where: { recordId: { in: FIXTURES.seizures } } });
      await subgraph.prisma.traffickingCase.deleteMany({ where: { recordId: { in: FIXTURES.cases } } });
    };
    const insertFixtures = async () => {
      await removeFixtures();
      for (const [n, day] of ['2023-10-15', '2024-10-15'].entries()) {
        await insertSeizure(day, n);
        await insertCase(day, n);
      }
    };
    afterAll(removeFixtures);

    it('counts a seizure or case in the U.S. fiscal or the calendar year of its day, as asked', async () => {
      await removeFixtures();
      expect(await yearsGained('firearmSeizures', insertSeizure)).toEqual(BY_YEAR_OF_DAY);
      expect(await yearsGained('traffickingCases', insertCase)).toEqual(BY_YEAR_OF_DAY);
    });

    it('gives exactly the firearm seizures of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countSeizures({});
      const seizures: [string, Prisma.FirearmSeizureWhereInput][] = [
        ['period: { from: "2024-01-01", to: "2024-12-31" }', { seizedOn: between('2024-01-01', '2024-12-31') }],
        ['period: { from: "2025-01-01" }', { seizedOn: { gte: on('2025-01-01') } }],
        ['period: { years: { kind: US_FISCAL, from: 2024 } }', { seizedOn: between('2023-10-01', '2024-09-30') }],
        [
          'period: { years: { kind: CALENDAR, from: 2020, to: 2021 } }',
          { seizedOn: between('2020-01-01', '2021-12-31') },
        ],
        ['country: "MX"', { country: 'MX' }],
        ['country: "US"', { country: 'US' }],
        ['region: "MX"', { country: 'MX' }],
        ['region: "US-TX"', { stateCode: 'US-TX' }],
        ['region: "MX-CHH"', { stateCode: 'MX-CHH' }],
        ['port: "2304"', { portCode: '2304' }],
        ['organization: "CJNG"', { organizationSlug: 'CJNG' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['status: FINAL', { status: 'FINAL' }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        [
          'country: "US", region: "US-TX", port: "2304", sourceKind: SYNTHETIC, period: { years: { kind: US_FISCAL, from: 2021, to: 2024 } }',
          {
            country: 'US',
            stateCode: 'US-TX',
            portCode: '2304',
            source: { kind: 'SYNTHETIC' },
            seizedOn: between('2020-10-01', '2024-09-30'),
          },
        ],
      ];
      for (const [args, where] of seizures) {
        const expected = await countSeizures(where);
        // Each filter leaves some seizures out and keeps some.
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('firearmSeizures', args)).toBe(expected);
      }
    });

    it('gives exactly the trafficking cases of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countCases({});
      const cases: [string, Prisma.TraffickingCaseWhereInput][] = [
        ['period: { from: "2023-01-01", to: "2023-12-31" }', { openedOn: between('2023-01-01', '2023-12-31') }],
        ['period: { to: "2020-12-31" }', { openedOn: { lte: on('2020-12-31') } }],
        ['period: { years: { kind: US_FISCAL, from: 2024 } }', { openedOn: between('2023-10-01', '2024-09-30') }],
        ['period: { years: { kind: CALENDAR, from: 2024 } }', { openedOn: between('2024-01-01', '2024-12-31') }],
        ['country: "MX"', { country: 'MX' }],
        ['region: "US"', { country: 'US' }],
        ['organization: "SINALOA"', { organizationSlug: 'SINALOA' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        [
          'country: "US", highLevel: false, sourceKind: SYNTHETIC, period: { years: { kind: CALENDAR, from: 2019, to: 2023 } }',
          {
            country: 'US',
            highLevel: false,
            source: { kind: 'SYNTHETIC' },
            openedOn: between('2019-01-01', '2023-12-31'),
          },
        ],
      ];
      for (const [args, where] of cases) {
        const expected = await countCases(where);
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('traffickingCases', args)).toBe(expected);
      }
    });

    it('refuses bad codes and periods with BAD_USER_INPUT naming the argument', async () => {
      const refused: [string, string, string][] = [
        ['firearmSeizures', 'country: "CA"', 'country'],
        ['firearmSeizures', 'region: "Chihuahua"', 'region'],
        ['firearmSeizures', 'region: "GT"', 'region'],
        ['firearmSeizures', 'port: "23"', 'port'],
        ['firearmSeizures', 'organization: "cjng"', 'organization'],
        ['firearmSeizures', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
        ['firearmSeizures', 'period: { from: "2024-01-01", years: { kind: US_FISCAL, from: 2024 } }', 'period'],
        ['firearmSeizures', 'period: { years: { kind: US_FISCAL, from: 1899 } }', 'period'],
        // The deprecated arguments are checked under their own names.
        ['firearmSeizures', 'portCode: "23"', 'portCode'],
        ['firearmSeizures', 'state: "US-ZZ"', 'state'],
        ['firearmSeizures', 'from: "2024-02-01", to: "2024-01-01"', 'from'],
        ['traffickingCases', 'country: "CA"', 'country'],
        // Cases are kept by the country of their jurisdiction: a state is not one of their regions.
        ['traffickingCases', 'region: "MX-CHH"', 'region'],
        ['traffickingCases', 'organization: "Sinaloa"', 'organization'],
        ['traffickingCases', 'period: { years: { kind: CALENDAR, from: 2025, to: 2024 } }', 'period'],
      ];
      for (const [list, args, field] of refused) {
        expect([list, args, await refusal(list, args)]).toEqual([list, args, [['BAD_USER_INPUT', field]]]);
      }
    });

    it('keeps the deprecated portCode, state, from and to working, as port, region and period', async () => {
      await insertFixtures();
      const pairs: [string, string][] = [
        ['portCode: "2304"', 'port: "2304"'],
        ['state: "MX-CHH"', 'region: "MX-CHH"'],
        ['country: "US", state: "US-TX"', 'country: "US", region: "US-TX"'],
        ['from: "2023-10-01", to: "2024-09-30"', 'period: { years: { kind: US_FISCAL, from: 2024 } }'],
        ['from: "2024-10-15"', 'period: { from: "2024-10-15" }'],
        // With both, the later start and the earlier end hold.
        [
          'to: "2023-12-31", period: { years: { kind: CALENDAR, from: 2023, to: 2024 } }',
          'period: { years: { kind: CALENDAR, from: 2023 } }',
        ],
        [
          'portCode: "2304", state: "US-TX", from: "2020-01-01"',
          'port: "2304", region: "US-TX", period: { from: "2020-01-01" }',
        ],
      ];
      for (const [deprecated, current] of pairs) {
        const expected = await total('firearmSeizures', current);
        expect(expected).toBeGreaterThan(0);
        expect([deprecated, await total('firearmSeizures', deprecated)]).toEqual([deprecated, expected]);
      }
      const { data } = await subgraph.execute<{
        __type: { fields: { name: string; args: { name: string; deprecationReason: string | null }[] }[] };
      }>(`#graphql
        { __type(name: "Query") { fields { name args(includeDeprecated: true) { name deprecationReason } } } }`);
      const deprecated = (field: string) =>
        data!.__type.fields
          .find((f) => f.name === field)!
          .args.filter((a) => a.deprecationReason)
          .map((a) => [a.name, a.deprecationReason]);
      expect(deprecated('firearmSeizures')).toEqual([
        ['portCode', 'Use `port`.'],
        ['state', 'Use `region`.'],
        ['from', 'Use `period: { from }`.'],
        ['to', 'Use `period: { to }`.'],
      ]);
      expect(deprecated('traffickingCases')).toEqual([]);
    });
  });

  it('reads many ports and organizations with their records in the same number of SQL statements with 10x more records', async () => {
    const QUERY = `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on PortOfEntry {
            code
            firearmSeizures(first: 5) { totalCount nodes { recordId port { code } organization { slug } provenance { source { id } } } }
          }
          ... on CriminalOrganization {
            slug
            firearmSeizures(first: 5) { totalCount nodes { recordId state { code } } }
            firearmsTraffickingCases(first: 5) { totalCount nodes { recordId caseStatus provenance { source { id kind } } } }
          }
          ... on Region { code firearmTraces { period } firearmSeizures(first: 3) { totalCount nodes { recordId } } }
          ... on JointObjective { id firearmTraces { period } traffickingCases(first: 3) { totalCount nodes { recordId } } }
        }
      }`;
    const representations = [
      ...[...landPorts().keys()].map((code) => ({ __typename: 'PortOfEntry', code })),
      ...ORGANIZATIONS.map(([slug]) => ({ __typename: 'CriminalOrganization', slug })),
      ...['MX', 'US', 'MX-CHH', 'MX-TAM', 'US-TX', 'US-AZ'].map((code) => ({ __typename: 'Region', code })),
      ...['2.2.1', '2.2.3'].map((id) => ({ __typename: 'JointObjective', id })),
    ];
    type Result = {
      _entities: { firearmSeizures?: { totalCount: number }; firearmsTraffickingCases?: { totalCount: number } }[];
    };
    const totals = (data: Result) =>
      data._entities.reduce(
        (sum, e) => sum + (e.firearmSeizures?.totalCount ?? 0) + (e.firearmsTraffickingCases?.totalCount ?? 0),
        0,
      );
    subgraph.statements.reset();
    const small = await subgraph.execute<Result>(QUERY, { representations });
    expect(small.errors).toBeUndefined();
    const before = subgraph.statements.count;

    await loadSynthetic(subgraph.prisma, {
      seed: 77,
      firearmSeizures: SYNTHETIC_SAMPLE.firearmSeizures * 10,
      traffickingCases: SYNTHETIC_SAMPLE.traffickingCases * 10,
    });
    subgraph.statements.reset();
    const large = await subgraph.execute<Result>(QUERY, { representations });
    expect(large.errors).toBeUndefined();
    expect(totals(large.data!)).toBeGreaterThan(totals(small.data!) * 9);
    expect(subgraph.statements.count).toBe(before);
    // Ids and counts for 6 kinds of child page (12), traces by region and by objective (2), and the
    // seizures, cases and sources the pages name (3), whatever the number of parents or rows.
    expect(before).toBe(17);
  });
});

recordsSuite({
  name: 'firearms',
  module: firearms,
  domain: 'Firearms',
  records: [firearmSeizures, traffickingCases],
  statusMoves: [
    {
      type: 'TraffickingCase',
      mutation: 'updateTraffickingCaseStatus',
      statusType: 'CaseStatus',
      statusField: 'caseStatus',
      statusColumn: 'caseStatus',
      record: traffickingCases,
      // CHARGED (the default case) may end CONVICTED, ACQUITTED or DISMISSED.
      start: {},
      moves: [
        { status: 'CONVICTED', on: '2024-12-01' },
        { status: 'DISMISSED', on: '2024-12-01' },
      ],
    },
  ],
});
