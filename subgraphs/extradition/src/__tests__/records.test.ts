import {
  recordsSuite,
  releasedTo,
  startTestSubgraph,
  TEST_CALLER,
  TEST_RECORDED_BY,
  type TestSubgraph,
  listFilterProbe,
  on,
  between,
  YEARS,
  BY_YEAR_OF_DAY,
} from '@bicentennial/testing';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { organizationSlugs } from '@bicentennial/seeds';
import { syntheticExtraditionCases } from '@bicentennial/seeds/synthetic/extradition';
import { extraditionCaseSpec } from '../records/cases';
import { SYNTHETIC_SAMPLE } from '../seed';
import * as extradition from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';
import { extraditionCase, extraditionCases } from './cases';

type Errors = readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);

const CASE_FIELDS = `
  id recordId person alias requestingCountry requestedCountry status statusOn requestedOn approvedOn surrenderedOn
  deniedOn statusChangedBy transferMechanism charges destination notable organization { slug }
  transferAction { recordId } objective { id }
  provenance { source { id kind } status releasableTo recordedBy recordedAt }
`;

const RECORD = `#graphql
  mutation Record($input: ExtraditionCaseInput!, $submission: SubmissionInput!) {
    recordExtraditionCase(input: $input, submission: $submission) { ${CASE_FIELDS} }
  }
`;

const UPDATE = `#graphql
  mutation Update($recordId: ID!, $status: ExtraditionStatus!, $on: Date!, $mechanism: TransferMechanism,
                  $submission: SubmissionInput!) {
    updateExtraditionCaseStatus(recordId: $recordId, status: $status, on: $on, mechanism: $mechanism,
                                submission: $submission) { ${CASE_FIELDS} }
  }
`;

const IMPORT = `#graphql
  mutation Import($rows: [ExtraditionCaseInput!]!, $dryRun: Boolean) {
    importExtraditionCases(rows: $rows, submittedBy: "fgr-extradition-import", dryRun: $dryRun) {
      received inserted alreadyPresent dryRun errors { row field code message }
    }
  }
`;

interface CaseResult {
  id: string;
  recordId: string;
  person: string;
  alias: string | null;
  requestingCountry: string;
  requestedCountry: string;
  status: string;
  statusOn: string;
  requestedOn: string | null;
  approvedOn: string | null;
  surrenderedOn: string | null;
  deniedOn: string | null;
  statusChangedBy: string | null;
  transferMechanism: string;
  charges: string[];
  destination: string | null;
  notable: boolean;
  organization: { slug: string } | null;
  transferAction: { recordId: string } | null;
  objective: { id: string };
  provenance: {
    source: { id: string; kind: string };
    status: string;
    releasableTo: string;
    recordedBy: string;
    recordedAt: string;
  };
}

let keyCounter = 0;
const submission = (key?: string) => ({
  idempotencyKey: key ?? `test-key-${++keyCounter}-${Date.now()}`,
  submittedBy: 'analyst.lopez@fgr',
});

describe('extradition records', () => {
  let subgraph: TestSubgraph<PrismaClient>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(extradition);
  });
  afterAll(() => subgraph.close());

  const record = (input: Record<string, unknown>, key = submission()) =>
    subgraph.execute<{ recordExtraditionCase: CaseResult }>(RECORD, { input, submission: key });
  // Another verified U.S. caller moves the cases the test caller recorded (statusChangedBy is theirs).
  const officer = { ...TEST_CALLER, subject: 'case.officer', agency: 'DOJ' };
  const update = (variables: Record<string, unknown>, key = submission()) =>
    subgraph.execute<{ updateExtraditionCaseStatus: CaseResult }>(
      UPDATE,
      { submission: key, ...variables },
      { as: officer },
    );

  it('holds the notable cases of the public record exactly as the reference gives them', async () => {
    const { data, errors } = await subgraph.execute<{ extraditionCases: { totalCount: number; nodes: CaseResult[] } }>(
      `#graphql
      { extraditionCases(notable: true, first: 100) { totalCount nodes { ${CASE_FIELDS} } } }`,
    );
    expect(errors).toBeUndefined();
    const cases = data!.extraditionCases.nodes;
    const summary = cases.map((c) => [
      c.person,
      c.alias,
      c.status,
      c.surrenderedOn,
      c.transferMechanism,
      c.destination,
      c.organization?.slug ?? null,
      c.transferAction?.recordId ?? null,
    ]);
    expect(summary).toEqual(
      expect.arrayContaining([
        [
          'Ovidio Guzmán López',
          null,
          'EXTRADITED',
          '2023-09-15',
          'FORMAL_EXTRADITION',
          'Chicago (N.D. Ill.)',
          'SINALOA',
          null,
        ],
        ...[
          ['Rafael Caro Quintero', null],
          ['Miguel Ángel Treviño Morales', 'Z-40'],
          ['Omar Treviño Morales', 'Z-42'],
          ['Antonio Oseguera Cervantes', null],
          ['Vicente Carrillo Fuentes', null],
          ['José Ángel Canobbio', null],
        ].map(([person, alias]) => [
          person,
          alias,
          'TRANSFERRED',
          '2025-02-27',
          'NATIONAL_SECURITY_TRANSFER',
          null,
          null,
          'MX-US-TRANSFER-2025-02-27',
        ]),
        [
          'Abigael González Valencia',
          null,
          'TRANSFERRED',
          '2025-08-12',
          'NATIONAL_SECURITY_TRANSFER',
          null,
          'LOS_CUINIS',
          'MX-US-TRANSFER-2025-08-12',
        ],
        [
          'Roberto Salazar',
          null,
          'TRANSFERRED',
          '2025-08-12',
          'NATIONAL_SECURITY_TRANSFER',
          null,
          null,
          'MX-US-TRANSFER-2025-08-12',
        ],
      ]),
    );
    expect(data!.extraditionCases.totalCount).toBe(9);
    for (const c of cases) {
      expect(c).toMatchObject({
        requestingCountry: 'US',
        requestedCountry: 'MX',
        notable: true,
        objective: { id: '3.4.1' },
        requestedOn: null,
        approvedOn: null,
        statusOn: c.surrenderedOn,
        charges: [],
        provenance: { status: 'FINAL', releasableTo: 'BOTH', recordedBy: 'seed' },
      });
    }
    // The reference names the U.S. Department of Justice for the extradition of 2023 and the
    // transfer of February 2025 (OFFICIAL), only UPI for the transfer of August 2025 (NON_OFFICIAL).
    expect(Object.fromEntries(cases.map((c) => [c.provenance.source.id, c.provenance.source.kind]))).toEqual({
      'doj-ag-statement-2023-09-15': 'OFFICIAL',
      'doj-transfer-2025-02-27': 'OFFICIAL',
      'transfer-2025-08-12-upi': 'NON_OFFICIAL',
    });
    expect(cases.find((c) => c.person === 'Ovidio Guzmán López')?.provenance.source.id).toBe(
      'doj-ag-statement-2023-09-15',
    );
  });

  it('keeps the transfers of many persons as counts, linked to the persons the reference names', async () => {
    const { data, errors } = await subgraph.execute<{
      transferActions: {
        totalCount: number;
        nodes: {
          recordId: string;
          mechanism: string;
          sendingCountry: string;
          receivingCountry: string;
          startedOn: string;
          endedOn: string;
          personsTransferred: number;
          destinationCities: number | null;
          personsNotNamed: number;
          note: string;
          objective: { id: string };
          cases: { totalCount: number; nodes: { person: string }[] };
          provenance: { source: { id: string; kind: string } };
        }[];
      };
    }>(`#graphql
      { transferActions { totalCount nodes {
          recordId mechanism sendingCountry receivingCountry startedOn endedOn personsTransferred destinationCities
          personsNotNamed note objective { id } cases(first: 100) { totalCount nodes { person } }
          provenance { source { id kind } } } } }`);
    expect(errors).toBeUndefined();
    const transfers = data!.transferActions.nodes;
    expect(
      transfers.map((t) => [
        t.recordId,
        t.mechanism,
        t.sendingCountry,
        t.receivingCountry,
        t.startedOn,
        t.endedOn,
        t.personsTransferred,
        t.destinationCities,
        t.cases.totalCount,
        t.personsNotNamed,
        t.provenance.source.id,
      ]),
    ).toEqual([
      [
        'US-MX-PRISONER-TRANSFER-2025',
        'PRISONER_TRANSFER_TREATY',
        'US',
        'MX',
        '2025-08-01',
        '2025-12-05',
        14,
        null,
        0,
        14,
        'prisoner-transfer-treaty-returns-2025',
      ],
      [
        'MX-US-TRANSFER-2025-08-12',
        'NATIONAL_SECURITY_TRANSFER',
        'MX',
        'US',
        '2025-08-12',
        '2025-08-12',
        26,
        null,
        2,
        24,
        'transfer-2025-08-12-upi',
      ],
      [
        'MX-US-TRANSFER-2025-02-27',
        'NATIONAL_SECURITY_TRANSFER',
        'MX',
        'US',
        '2025-02-27',
        '2025-02-27',
        29,
        8,
        6,
        23,
        'doj-transfer-2025-02-27',
      ],
    ]);
    expect(transfers.every((t) => t.objective.id === '3.4.1')).toBe(true);
    // Only the transfer of February 2025 has an official publisher in the reference (the U.S.
    // Department of Justice); August 2025 is known from UPI, the prisoner-transfer returns from no named source.
    expect(transfers.map((t) => t.provenance.source.kind)).toEqual(['NON_OFFICIAL', 'NON_OFFICIAL', 'OFFICIAL']);
    const [, august, february] = transfers;
    expect(february!.cases.nodes.map((c) => c.person).sort()).toEqual([
      'Antonio Oseguera Cervantes',
      'José Ángel Canobbio',
      'Miguel Ángel Treviño Morales',
      'Omar Treviño Morales',
      'Rafael Caro Quintero',
      'Vicente Carrillo Fuentes',
    ]);
    expect(august!.note).toMatch(/not to seek the death penalty/);
    expect(february!.note).toMatch(/not by formal extradition/);
  });

  it('labels the synthetic sample SYNTHETIC, with synthetic persons, never real-looking names', async () => {
    const { data } = await subgraph.execute<{
      extraditionCases: {
        totalCount: number;
        nodes: { recordId: string; person: string; notable: boolean; provenance: { source: { kind: string } } }[];
      };
    }>(`#graphql
      { extraditionCases(notable: false, first: 100) { totalCount nodes { recordId person notable provenance { source { kind } } } } }`);
    // The test caller is a U.S. caller: the sample's cases released to Mexico only are not counted.
    expect(await subgraph.prisma.extraditionCase.count({ where: { sourceId: SYNTHETIC_SOURCE_ID } })).toBe(
      SYNTHETIC_SAMPLE.cases,
    );
    const released = await subgraph.prisma.extraditionCase.count({
      where: { sourceId: SYNTHETIC_SOURCE_ID, ...releasedTo() },
    });
    expect(released).toBeLessThan(SYNTHETIC_SAMPLE.cases);
    expect(data!.extraditionCases.totalCount).toBe(released);
    for (const c of data!.extraditionCases.nodes) {
      expect(c.person).toMatch(/^Synthetic person 1-\d{4}$/);
      expect(c.recordId).toMatch(/^SYN-EC-1-\d+$/);
      expect(c.provenance.source.kind).toBe('SYNTHETIC');
    }
    const statuses = await subgraph.prisma.extraditionCase.groupBy({
      by: ['caseStatus'],
      where: { sourceId: SYNTHETIC_SOURCE_ID },
      _count: { _all: true },
    });
    expect(statuses.map((s) => s.caseStatus).sort()).toEqual([
      'APPROVED',
      'DENIED',
      'EXTRADITED',
      'REQUESTED',
      'TRANSFERRED',
    ]);
  });

  it('generates the same synthetic cases for the same seed, each one a case the validation accepts', () => {
    const organizations = ['SINALOA', 'CJNG'];
    const first = [...syntheticExtraditionCases(5, 500, organizations)];
    expect([...syntheticExtraditionCases(5, 500, organizations)]).toEqual(first);
    expect([...syntheticExtraditionCases(6, 500, organizations)]).not.toEqual(first);
    const problems = first.flatMap(({ organizationSlug, objectiveId: _objective, statusOn, ...row }) => {
      const parsed = extraditionCaseSpec.schema.safeParse({
        ...row,
        organization: organizationSlug,
        sourceId: SYNTHETIC_SOURCE_ID,
      });
      if (!parsed.success) return [[row.recordId, parsed.error.issues]];
      return parsed.data.statusOn.getTime() === statusOn.getTime() ? [] : [[row.recordId, 'statusOn']];
    });
    expect(problems).toEqual([]);
    expect(new Set(first.map((c) => c.organizationSlug))).toEqual(new Set([null, 'SINALOA', 'CJNG']));
  });

  it('resolves organizations, indicators and objectives through _entities with their records', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: Record<string, unknown>[] }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on CriminalOrganization { slug extraditions(first: 100) { totalCount nodes { person notable } } }
          ... on ExtraditionIndicator { id observations { period value source { id } } }
          ... on JointObjective { id extraditionCases(first: 1) { totalCount } transferActions { totalCount }
                                  extradited: extraditionCases(caseStatus: EXTRADITED, first: 1) { totalCount } }
        }
      }`,
      {
        representations: [
          { __typename: 'CriminalOrganization', slug: 'SINALOA' },
          { __typename: 'CriminalOrganization', slug: 'LOS_CUINIS' },
          { __typename: 'CriminalOrganization', slug: 'NOBODY_ATTRIBUTED' },
          { __typename: 'ExtraditionIndicator', id: '3.4.1/mx-extraditions-to-us' },
          { __typename: 'ExtraditionIndicator', id: '1.3.2/mx-homicide-impunity-rate' },
          { __typename: 'ExtraditionIndicator', id: '3.2.1/justice-sector-officials-trained' },
          { __typename: 'JointObjective', id: '3.4.1' },
          { __typename: 'JointObjective', id: '1.3.2' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    const [sinaloa, cuinis, nobody, extraditions, impunity, capacity, objective, impunityObjective] = data!._entities;
    const notable = (org: unknown) =>
      (org as { extraditions: { nodes: { person: string; notable: boolean }[] } }).extraditions.nodes
        .filter((n) => n.notable)
        .map((n) => n.person);
    expect(notable(sinaloa)).toEqual(['Ovidio Guzmán López']);
    expect(notable(cuinis)).toEqual(['Abigael González Valencia']);
    expect(nobody).toEqual({ slug: 'NOBODY_ATTRIBUTED', extraditions: { totalCount: 0, nodes: [] } });
    const series = (extraditions as { observations: { period: string; value: number; source: { id: string } }[] })
      .observations;
    expect(new Set(series.map((o) => o.source.id))).toEqual(
      new Set([
        'fgr-extradition-statistics-2023-12',
        'fgr-transparency-expansion-2021-02-08',
        'mx-extraditions-voa-2007',
      ]),
    );
    expect(series.filter((o) => o.period === '2022')).toEqual([
      { period: '2022', value: 78, source: { id: 'fgr-extradition-statistics-2023-12' } },
    ]);
    expect(impunity).toEqual({ id: '1.3.2/mx-homicide-impunity-rate', observations: [] });
    expect(capacity).toEqual({ id: '3.2.1/justice-sector-officials-trained', observations: [] });
    const synthetic = await subgraph.prisma.extraditionCase.count({
      where: { sourceId: SYNTHETIC_SOURCE_ID, ...releasedTo() },
    });
    const extradited = await subgraph.prisma.extraditionCase.count({
      where: { caseStatus: 'EXTRADITED', ...releasedTo() },
    });
    expect(objective).toEqual({
      id: '3.4.1',
      extraditionCases: { totalCount: 9 + synthetic },
      transferActions: { totalCount: 3 },
      extradited: { totalCount: extradited },
    });
    expect(impunityObjective).toEqual({
      id: '1.3.2',
      extraditionCases: { totalCount: 0 },
      transferActions: { totalCount: 0 },
      extradited: { totalCount: 0 },
    });
  });

  it('records a case with who, when and where from', async () => {
    const before = Date.now();
    const { data, errors } = await record(extraditionCase('FGR-EXT-2024-0001'));
    expect(errors).toBeUndefined();
    const recorded = data!.recordExtraditionCase;
    expect(recorded).toMatchObject({
      recordId: 'FGR-EXT-2024-0001',
      status: 'REQUESTED',
      statusOn: '2024-03-01',
      requestedOn: '2024-03-01',
      approvedOn: null,
      charges: ['CRIMINAL_ASSOCIATION', 'DRUG_OFFENSES'],
      organization: { slug: 'CJNG' },
      objective: { id: '3.4.1' },
      notable: false,
      statusChangedBy: null,
      provenance: {
        source: { id: 'fgr-extradition-statistics-2023-12', kind: 'OFFICIAL' },
        status: 'FINAL',
        releasableTo: 'BOTH',
        // The verified caller: the submission's (deprecated) submittedBy is ignored.
        recordedBy: TEST_RECORDED_BY,
      },
    });
    expect(new Date(recorded.provenance.recordedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const count = await subgraph.prisma.extraditionCase.count();
    const transferred = { status: 'TRANSFERRED', transferMechanism: 'NATIONAL_SECURITY_TRANSFER' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ person: '  ' }, 'input.person', /must not be empty/],
      [{ requestedCountry: 'US' }, 'input.requestedCountry', /must not be the requesting country/],
      [{ status: 'APPROVED' }, 'input.approvedOn', /is required when status is APPROVED/],
      [{ approvedOn: '2024-04-01' }, 'input.approvedOn', /must be empty when status is REQUESTED/],
      [
        { status: 'APPROVED', approvedOn: '2024-01-01' },
        'input.approvedOn',
        /must not be before requestedOn \(2024-03-01\)/,
      ],
      [{ requestedOn: '2099-01-01' }, 'input.requestedOn', /future/],
      [{ charges: ['DRUG_OFFENSES', 'DRUG_OFFENSES'] }, 'input.charges', /twice/],
      [
        { status: 'EXTRADITED', surrenderedOn: '2024-06-01', transferMechanism: 'NATIONAL_SECURITY_TRANSFER' },
        'input.transferMechanism',
        /FORMAL_EXTRADITION/,
      ],
      [
        { ...transferred, surrenderedOn: '2024-06-01', transferMechanism: 'FORMAL_EXTRADITION' },
        'input.transferMechanism',
        /TRANSFERRED/,
      ],
      [{ organization: 'sinaloa' }, 'input.organization', /upper-case organization slug/],
      [
        { organization: 'NO_SUCH_CARTEL' },
        'input.organization',
        /organization NO_SUCH_CARTEL is not a known criminal organization/,
      ],
      [{ sourceId: 'nobody-published-this' }, 'input.sourceId', /source nobody-published-this does not exist/],
      [{ sourceId: SYNTHETIC_SOURCE_ID }, 'input.person', /Synthetic person/],
      [
        { ...transferred, surrenderedOn: '2025-02-27', transferActionId: 'NO-SUCH-TRANSFER' },
        'input.transferActionId',
        /does not exist/,
      ],
      [
        { ...transferred, surrenderedOn: '2025-03-01', transferActionId: 'MX-US-TRANSFER-2025-02-27' },
        'input.surrenderedOn',
        /must be a day of transfer MX-US-TRANSFER-2025-02-27 \(2025-02-27 to 2025-02-27\)/,
      ],
      [
        {
          ...transferred,
          transferMechanism: 'PRISONER_TRANSFER_TREATY',
          surrenderedOn: '2025-02-27',
          transferActionId: 'MX-US-TRANSFER-2025-02-27',
        },
        'input.transferMechanism',
        /was a NATIONAL_SECURITY_TRANSFER, not PRISONER_TRANSFER_TREATY/,
      ],
    ];
    for (const [overrides, field, message] of cases) {
      const { errors } = await record(extraditionCase(`FGR-BAD-${field}`, overrides));
      expect([codes(errors), errors?.[0]?.message]).toEqual([
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const badKey = await record(extraditionCase('FGR-OK-1'), { idempotencyKey: 'short', submittedBy: 'x' });
    expect(codes(badKey.errors)).toEqual([['BAD_USER_INPUT', 'submission.idempotencyKey']]);
    expect(await subgraph.prisma.extraditionCase.count()).toBe(count);
  });

  it('accepts every organization of the finance list, and a case linked to a transfer', async () => {
    const slugs = [...organizationSlugs()];
    expect(slugs.length).toBeGreaterThanOrEqual(5);
    const everyOrganization = await subgraph.execute<{ importExtraditionCases: unknown }>(IMPORT, {
      rows: slugs.map((organization, n) => extraditionCase(`FGR-ORG-${n}`, { organization })),
      dryRun: true,
    });
    expect(everyOrganization.data!.importExtraditionCases).toMatchObject({ received: slugs.length, errors: [] });
    const { data, errors } = await record(
      extraditionCase('FGR-LINKED-1', {
        person: 'Test person transferred 2025-02-27',
        status: 'TRANSFERRED',
        requestedOn: '2019-05-01',
        surrenderedOn: '2025-02-27',
        transferMechanism: 'NATIONAL_SECURITY_TRANSFER',
        transferActionId: 'MX-US-TRANSFER-2025-02-27',
        organization: 'LOS_ZETAS',
      }),
    );
    expect(errors).toBeUndefined();
    expect(data!.recordExtraditionCase).toMatchObject({
      transferAction: { recordId: 'MX-US-TRANSFER-2025-02-27' },
      organization: { slug: 'LOS_ZETAS' },
    });
    const { data: transfer } = await subgraph.execute<{
      transferActions: { nodes: { recordId: string; personsNotNamed: number }[] };
    }>('#graphql\n { transferActions(mechanism: NATIONAL_SECURITY_TRANSFER) { nodes { recordId personsNotNamed } } }');
    expect(transfer!.transferActions.nodes).toEqual([
      { recordId: 'MX-US-TRANSFER-2025-08-12', personsNotNamed: 24 },
      { recordId: 'MX-US-TRANSFER-2025-02-27', personsNotNamed: 22 },
    ]);
    await subgraph.prisma.extraditionCase.delete({ where: { recordId: 'FGR-LINKED-1' } });
  });

  it('moves a case only along the allowed transitions, on days that do not go backwards', async () => {
    await record(extraditionCase('FGR-FLOW-1'));
    await record(extraditionCase('FGR-FLOW-2'));

    const approved = await update({ recordId: 'FGR-FLOW-1', status: 'APPROVED', on: '2024-09-10' });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.updateExtraditionCaseStatus).toMatchObject({
      status: 'APPROVED',
      statusOn: '2024-09-10',
      requestedOn: '2024-03-01',
      approvedOn: '2024-09-10',
      statusChangedBy: 'case.officer@DOJ',
      provenance: { recordedBy: TEST_RECORDED_BY },
    });

    const refused: [Record<string, unknown>, string, RegExp][] = [
      [
        { recordId: 'FGR-FLOW-2', status: 'EXTRADITED', on: '2024-09-10' },
        'status',
        /the extradition case is REQUESTED and cannot move to EXTRADITED; it may move to APPROVED or DENIED/,
      ],
      [
        { recordId: 'FGR-FLOW-1', status: 'APPROVED', on: '2024-09-11' },
        'status',
        /the extradition case is APPROVED and cannot move to APPROVED/,
      ],
      [{ recordId: 'FGR-FLOW-1', status: 'REQUESTED', on: '2024-09-11' }, 'status', /cannot move to REQUESTED/],
      [
        { recordId: 'FGR-FLOW-1', status: 'EXTRADITED', on: '2024-09-01' },
        'on',
        /must not be before 2024-09-10, when the extradition case became APPROVED/,
      ],
      [{ recordId: 'FGR-FLOW-1', status: 'EXTRADITED', on: '2099-01-01' }, 'on', /future/],
      [{ recordId: 'FGR-FLOW-1', status: 'TRANSFERRED', on: '2024-10-01' }, 'mechanism', /give the mechanism/],
      [
        { recordId: 'FGR-FLOW-1', status: 'EXTRADITED', on: '2024-10-01', mechanism: 'PRISONER_TRANSFER_TREATY' },
        'mechanism',
        /EXTRADITED case goes by FORMAL_EXTRADITION/,
      ],
      [{ recordId: 'has spaces', status: 'APPROVED', on: '2024-10-01' }, 'recordId', /printable/],
    ];
    for (const [variables, field, message] of refused) {
      const { errors } = await update(variables);
      expect([codes(errors), errors?.[0]?.message]).toEqual([
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    expect(await subgraph.prisma.extraditionCase.findUnique({ where: { recordId: 'FGR-FLOW-1' } })).toMatchObject({
      caseStatus: 'APPROVED',
      transferMechanism: 'FORMAL_EXTRADITION',
    });

    const transferred = await update({
      recordId: 'FGR-FLOW-1',
      status: 'TRANSFERRED',
      on: '2024-10-01',
      mechanism: 'NATIONAL_SECURITY_TRANSFER',
    });
    expect(transferred.data!.updateExtraditionCaseStatus).toMatchObject({
      status: 'TRANSFERRED',
      statusOn: '2024-10-01',
      approvedOn: '2024-09-10',
      surrenderedOn: '2024-10-01',
      transferMechanism: 'NATIONAL_SECURITY_TRANSFER',
    });
    const final = await update({ recordId: 'FGR-FLOW-1', status: 'DENIED', on: '2024-10-02' });
    expect(codes(final.errors)).toEqual([['BAD_USER_INPUT', 'status']]);
    expect(final.errors?.[0]?.message).toMatch(/that status is final/);

    const denied = await update({ recordId: 'FGR-FLOW-2', status: 'DENIED', on: '2024-05-05' });
    expect(denied.data!.updateExtraditionCaseStatus).toMatchObject({ status: 'DENIED', deniedOn: '2024-05-05' });

    const missing = await update({ recordId: 'FGR-NO-SUCH-CASE', status: 'APPROVED', on: '2024-10-01' });
    expect(codes(missing.errors)).toEqual([['NOT_FOUND', undefined]]);
    expect(missing.errors?.[0]?.message).toMatch(/FGR-NO-SUCH-CASE does not exist/);
  });

  it('pages through the cases newest first without gaps or repeats', async () => {
    const PAGE = `#graphql
      query Page($after: String) {
        extraditionCases(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id statusOn } }
      }`;
    type PageResult = {
      extraditionCases: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; statusOn: string }[];
      };
    };
    const seen: { id: string; statusOn: string }[] = [];
    let after: string | null = null;
    let total = 0;
    for (let pages = 0; pages < 100; pages++) {
      const result: Awaited<ReturnType<typeof subgraph.execute<PageResult>>> = await subgraph.execute<PageResult>(
        PAGE,
        {
          after,
        },
      );
      const page = result.data!.extraditionCases;
      total = page.totalCount;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBe(await subgraph.prisma.extraditionCase.count({ where: releasedTo() }));
    expect(total).toBeGreaterThan(
      await subgraph.prisma.extraditionCase.count({ where: { sourceId: SYNTHETIC_SOURCE_ID, ...releasedTo() } }),
    );
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    const days = seen.map((s) => s.statusOn);
    expect(days).toEqual([...days].sort().reverse());

    // The same through an organization's cases (the batched child-page loader).
    const ORGANIZATION_PAGE = `#graphql
      query ($representations: [_Any!]!, $after: String) {
        _entities(representations: $representations) {
          ... on CriminalOrganization { extraditions(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id statusOn } } }
        }
      }`;
    type OrganizationPage = {
      _entities: { extraditions: PageResult['extraditionCases'] }[];
    };
    const representations = [{ __typename: 'CriminalOrganization', slug: 'SINALOA' }];
    const sinaloa: { id: string; statusOn: string }[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const result: Awaited<ReturnType<typeof subgraph.execute<OrganizationPage>>> =
        await subgraph.execute<OrganizationPage>(ORGANIZATION_PAGE, { representations, after: cursor });
      const page = result.data!._entities[0]!.extraditions;
      sinaloa.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    const stored = await subgraph.prisma.extraditionCase.count({
      where: { organizationSlug: 'SINALOA', ...releasedTo() },
    });
    expect(stored).toBeGreaterThan(7);
    expect(new Set(sinaloa.map((s) => s.id)).size).toBe(stored);
    expect(sinaloa.map((s) => s.statusOn)).toEqual(
      sinaloa
        .map((s) => s.statusOn)
        .sort()
        .reverse(),
    );

    const garbage = await subgraph.execute(PAGE, { after: 'not-a-cursor' });
    expect(codes(garbage.errors)).toEqual([['BAD_USER_INPUT', 'after']]);
    const tooMany = await subgraph.execute('#graphql\n { extraditionCases(first: 1000) { totalCount } }');
    expect(codes(tooMany.errors)).toEqual([['BAD_USER_INPUT', 'first']]);
  });

  describe('the shared list filters', () => {
    const FIXTURES = {
      cases: ['FILTER-EC-2023-10-15', 'FILTER-EC-2024-10-15'],
      transfers: ['FILTER-TA-1', 'FILTER-TA-2'],
    };
    const { total, refusal, yearsGained } = listFilterProbe(() => subgraph);

    const countCases = (where: Prisma.ExtraditionCaseWhereInput) =>
      subgraph.prisma.extraditionCase.count({ where: { AND: [where, releasedTo()] } });
    const countTransfers = (where: Prisma.TransferActionWhereInput) =>
      subgraph.prisma.transferAction.count({ where: { AND: [where, releasedTo()] } });

    /** Copies of seeded rows, provisional, the second one from the synthetic source (the filters then have rows to tell apart). */
    const insertCase = async (recordId: string, statusOn: string, sourceId: string) => {
      // calendarYear and fiscalYear are generated by the database: the copy leaves them out.
      const {
        id: _id,
        calendarYear: _year,
        fiscalYear: _fiscal,
        ...seeded
      } = await subgraph.prisma.extraditionCase.findFirstOrThrow({
        where: { notable: false, releasableTo: 'BOTH', organizationSlug: 'SINALOA' },
        orderBy: { recordId: 'asc' },
      });
      await subgraph.prisma.extraditionCase.create({
        data: { ...seeded, recordId, statusOn: on(statusOn), sourceId, status: 'PROVISIONAL' },
      });
    };
    const insertTransfer = async (recordId: string, endedOn: string, sourceId: string) => {
      const {
        id: _id,
        calendarYear: _year,
        fiscalYear: _fiscal,
        ...seeded
      } = await subgraph.prisma.transferAction.findUniqueOrThrow({
        where: { recordId: 'MX-US-TRANSFER-2025-02-27' },
      });
      await subgraph.prisma.transferAction.create({
        data: { ...seeded, recordId, startedOn: on(endedOn), endedOn: on(endedOn), sourceId, status: 'PROVISIONAL' },
      });
    };
    const sources = ['fgr-extradition-statistics-2023-12', SYNTHETIC_SOURCE_ID];
    const removeFixtures = async () => {
      await subgraph.prisma.extraditionCase.deleteMany({ where: { recordId: { in: FIXTURES.cases } } });
      await subgraph.prisma.transferAction.deleteMany({ where: { recordId: { in: FIXTURES.transfers } } });
    };
    const insertFixtures = async () => {
      await removeFixtures();
      for (const [n, day] of ['2023-10-15', '2024-10-15'].entries()) {
        await insertCase(FIXTURES.cases[n]!, day, sources[n]!);
        await insertTransfer(FIXTURES.transfers[n]!, day, sources[n]!);
      }
    };
    afterAll(removeFixtures);

    it('counts a case or transfer in the U.S. fiscal or the calendar year of its day, as asked', async () => {
      await removeFixtures();
      expect(
        await yearsGained('extraditionCases', (day, n) => insertCase(FIXTURES.cases[n]!, day, sources[n]!)),
      ).toEqual(BY_YEAR_OF_DAY);
      expect(
        await yearsGained('transferActions', (day, n) => insertTransfer(FIXTURES.transfers[n]!, day, sources[n]!)),
      ).toEqual(BY_YEAR_OF_DAY);
      expect(await total('extraditionCases', 'period: { years: { kind: US_FISCAL, from: 2024, to: 2025 } }')).toBe(
        (await total('extraditionCases', YEARS.fiscal2024)) + (await total('extraditionCases', YEARS.fiscal2025)),
      );
    });

    it('gives exactly the cases of the equivalent query for each shared filter, and with the others', async () => {
      await insertFixtures();
      const all = await countCases({});
      const cases: [string, Prisma.ExtraditionCaseWhereInput][] = [
        ['period: { from: "2024-01-01", to: "2024-12-31" }', { statusOn: between('2024-01-01', '2024-12-31') }],
        ['period: { from: "2025-01-01" }', { statusOn: { gte: on('2025-01-01') } }],
        ['period: { to: "2019-12-31" }', { statusOn: { lte: on('2019-12-31') } }],
        ['period: { years: { kind: US_FISCAL, from: 2024 } }', { statusOn: between('2023-10-01', '2024-09-30') }],
        ['period: { years: { kind: CALENDAR, from: 2024 } }', { statusOn: between('2024-01-01', '2024-12-31') }],
        [
          'period: { years: { kind: US_FISCAL, from: 2020, to: 2022 } }',
          { statusOn: between('2019-10-01', '2022-09-30') },
        ],
        // The country of a case is the requested one, where the person is.
        ['country: "MX"', { requestedCountry: 'MX' }],
        ['country: "US"', { requestedCountry: 'US' }],
        ['region: "US"', { requestedCountry: 'US' }],
        ['organization: "SINALOA"', { organizationSlug: 'SINALOA' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['status: FINAL', { status: 'FINAL' }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        ['caseStatus: EXTRADITED', { caseStatus: 'EXTRADITED' }],
        [
          'country: "MX", sourceKind: SYNTHETIC, caseStatus: DENIED, period: { years: { kind: CALENDAR, from: 2015, to: 2022 } }',
          {
            requestedCountry: 'MX',
            source: { kind: 'SYNTHETIC' },
            caseStatus: 'DENIED',
            statusOn: between('2015-01-01', '2022-12-31'),
          },
        ],
        [
          'region: "MX", organization: "SINALOA", status: PROVISIONAL, requestingCountry: US',
          { requestedCountry: 'MX', organizationSlug: 'SINALOA', status: 'PROVISIONAL', requestingCountry: 'US' },
        ],
      ];
      for (const [args, where] of cases) {
        const expected = await countCases(where);
        // Each filter leaves some cases out and keeps some.
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('extraditionCases', args)).toBe(expected);
      }
    });

    it('gives exactly the transfers of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countTransfers({});
      const transfers: [string, Prisma.TransferActionWhereInput][] = [
        // A transfer is in a period by its last day.
        ['period: { from: "2025-08-12" }', { endedOn: { gte: on('2025-08-12') } }],
        ['period: { years: { kind: US_FISCAL, from: 2025 } }', { endedOn: between('2024-10-01', '2025-09-30') }],
        ['period: { years: { kind: CALENDAR, from: 2025 } }', { endedOn: between('2025-01-01', '2025-12-31') }],
        // Its country is the sending one.
        ['country: "MX"', { sendingCountry: 'MX' }],
        ['region: "US"', { sendingCountry: 'US' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        [
          'country: "MX", mechanism: NATIONAL_SECURITY_TRANSFER, status: FINAL',
          { sendingCountry: 'MX', mechanism: 'NATIONAL_SECURITY_TRANSFER', status: 'FINAL' },
        ],
      ];
      for (const [args, where] of transfers) {
        const expected = await countTransfers(where);
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('transferActions', args)).toBe(expected);
      }
    });

    it('refuses bad codes and periods with BAD_USER_INPUT naming the argument', async () => {
      const refused: [string, string, string][] = [
        ['extraditionCases', 'country: "CA"', 'country'],
        ['extraditionCases', 'country: "mx"', 'country'],
        ['extraditionCases', 'region: "Texas"', 'region'],
        // Cases are kept by country: a state is not one of their regions.
        ['extraditionCases', 'region: "MX-SIN"', 'region'],
        ['extraditionCases', 'organization: "sinaloa"', 'organization'],
        ['extraditionCases', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
        ['extraditionCases', 'period: { from: "2024-01-01", years: { kind: CALENDAR, from: 2024 } }', 'period'],
        ['extraditionCases', 'period: { years: { kind: US_FISCAL, from: 1800 } }', 'period'],
        ['extraditionCases', 'period: { years: { kind: CALENDAR, from: 2025, to: 2024 } }', 'period'],
        ['extraditionCases', 'from: "2024-02-01", to: "2024-01-01"', 'from'],
        ['transferActions', 'country: "CA"', 'country'],
        ['transferActions', 'region: "US-TX"', 'region'],
        ['transferActions', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
      ];
      for (const [list, args, field] of refused) {
        expect([list, args, await refusal(list, args)]).toEqual([list, args, [['BAD_USER_INPUT', field]]]);
      }
    });

    it('keeps the deprecated from and to working, as period.from and period.to', async () => {
      await insertFixtures();
      const pairs: [string, string][] = [
        ['from: "2023-10-01", to: "2024-09-30"', 'period: { years: { kind: US_FISCAL, from: 2024 } }'],
        ['from: "2024-10-15"', 'period: { from: "2024-10-15" }'],
        ['to: "2023-10-15"', 'period: { to: "2023-10-15" }'],
        // With both, the later start and the earlier end hold.
        [
          'from: "2020-01-01", period: { from: "2022-01-01", to: "2024-12-31" }',
          'period: { from: "2022-01-01", to: "2024-12-31" }',
        ],
        [
          'to: "2023-12-31", period: { years: { kind: CALENDAR, from: 2023, to: 2024 } }',
          'period: { years: { kind: CALENDAR, from: 2023 } }',
        ],
      ];
      for (const [deprecated, current] of pairs) {
        const expected = await total('extraditionCases', current);
        expect(expected).toBeGreaterThan(0);
        expect([deprecated, await total('extraditionCases', deprecated)]).toEqual([deprecated, expected]);
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
      expect(deprecated('extraditionCases')).toEqual([
        ['from', 'Use `period: { from }`.'],
        ['to', 'Use `period: { to }`.'],
      ]);
      expect(deprecated('transferActions')).toEqual([]);
    });
  });

  it('reads many organizations with their cases in the same number of SQL statements with 10x more cases', async () => {
    const QUERY = `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on CriminalOrganization {
            slug
            extraditions(first: 20) {
              totalCount
              nodes { recordId person organization { slug } provenance { source { id } }
                      transferAction { recordId personsNotNamed provenance { source { id } } } }
            }
          }
          ... on JointObjective { id extraditionCases(first: 5) { totalCount nodes { recordId } } }
        }
      }`;
    const representations = [
      ...[...organizationSlugs()].map((slug) => ({ __typename: 'CriminalOrganization', slug })),
      { __typename: 'JointObjective', id: '3.4.1' },
    ];
    expect(representations.length).toBeGreaterThan(5);
    const total = (result: { _entities: { extraditions?: { totalCount: number } }[] }) =>
      result._entities.reduce((sum, entity) => sum + (entity.extraditions?.totalCount ?? 0), 0);
    subgraph.statements.reset();
    const small = await subgraph.execute<{ _entities: { extraditions?: { totalCount: number } }[] }>(QUERY, {
      representations,
    });
    expect(small.errors).toBeUndefined();
    const before = subgraph.statements.count;
    const casesBefore = total(small.data!);
    const transfers = (result: unknown) => JSON.stringify(result).match(/MX-US-TRANSFER-2025-08-12/g)?.length ?? 0;
    expect(transfers(small.data)).toBeGreaterThan(0);

    await loadSynthetic(subgraph.prisma, { seed: 77, cases: SYNTHETIC_SAMPLE.cases * 10 });
    subgraph.statements.reset();
    const { data } = await subgraph.execute<{ _entities: { extraditions?: { totalCount: number } }[] }>(QUERY, {
      representations,
    });
    expect(total(data!)).toBeGreaterThan(casesBefore * 8);
    expect(transfers(data)).toBeGreaterThan(0);
    expect(subgraph.statements.count).toBe(before);
    expect(before).toBeLessThanOrEqual(10);
  });
});

recordsSuite({
  name: 'extradition',
  module: extradition,
  domain: 'Extradition',
  records: [extraditionCases],
  statusMoves: [
    {
      type: 'ExtraditionCase',
      mutation: 'updateExtraditionCaseStatus',
      statusType: 'ExtraditionStatus',
      statusField: 'status',
      statusColumn: 'caseStatus',
      record: extraditionCases,
      // APPROVED may end EXTRADITED (its formal extradition) or DENIED.
      start: { status: 'APPROVED', approvedOn: '2024-06-01' },
      moves: [
        { status: 'EXTRADITED', on: '2024-09-01' },
        { status: 'DENIED', on: '2024-09-01' },
      ],
    },
  ],
});
