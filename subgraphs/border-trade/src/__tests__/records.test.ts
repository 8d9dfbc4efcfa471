import {
  recordsSuite,
  releasedTo,
  startTestSubgraph,
  TEST_RECORDED_BY,
  type TestSubgraph,
} from '@bicentennial/testing';
import type { PrismaClient } from '../generated/prisma/client';
import { readPorts, readRecords, SYNTHETIC_SAMPLE } from '../seed';
import * as borderTrade from '../server';
import { loadSynthetic } from '../synthetic';
import { drugSeizures, interdictions, seizure } from './cases';

type Errors = readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);

const RECORD = `#graphql
  mutation Record($input: DrugSeizureInput!, $submission: SubmissionInput!) {
    recordDrugSeizure(input: $input, submission: $submission) {
      id recordId location seizedOn drug quantity unit quantityKg mode
      port { code name } state { code } objective { id }
      provenance { source { id kind } status releasableTo recordedBy recordedAt }
    }
  }
`;

let keyCounter = 0;
const submission = (key?: string) => ({
  idempotencyKey: key ?? `test-key-${++keyCounter}-${Date.now()}`,
  submittedBy: 'officer.garcia@cbp',
});

interface RecordedSeizure {
  id: string;
  recordId: string;
  quantityKg: number;
  port: { code: string; name: string } | null;
  state: { code: string };
  objective: { id: string };
  provenance: {
    source: { id: string; kind: string };
    status: string;
    releasableTo: string;
    recordedBy: string;
    recordedAt: string;
  };
}

describe('border-trade records', () => {
  let subgraph: TestSubgraph<PrismaClient>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(borderTrade);
  });
  afterAll(() => subgraph.close());

  it('holds every U.S.–Mexico land port of the reference list, with its state and counterpart', async () => {
    const { data } = await subgraph.execute<{
      portsOfEntry: { code: string }[];
      sanYsidro: {
        name: string;
        kind: string;
        state: { code: string };
        counterpartCity: string;
        counterpartState: { code: string };
        latitude: number | null;
        provenance: { source: { id: string; kind: string } };
      };
      otay: { latitude: number; longitude: number };
      texas: { code: string }[];
      texasByRegion: { code: string }[];
      unitedStates: { code: string }[];
      mexico: { code: string }[];
    }>(`#graphql
      { portsOfEntry { code }
        sanYsidro: portOfEntry(code: "2504") { name kind state { code } counterpartCity counterpartState { code } latitude
                                                provenance { source { id kind } } }
        otay: portOfEntry(code: "2506") { latitude longitude }
        texas: portsOfEntry(state: "US-TX") { code }
        texasByRegion: portsOfEntry(region: "US-TX") { code }
        unitedStates: portsOfEntry(region: "US") { code }
        mexico: portsOfEntry(region: "MX") { code } }`);
    // `region` as every list reads it: the deprecated `state`'s answer, and a country is its states.
    expect(data!.texasByRegion).toEqual(data!.texas);
    expect(data!.unitedStates).toEqual(data!.portsOfEntry);
    expect(data!.mexico).toEqual([]);
    expect(data!.portsOfEntry.map((p) => p.code).sort()).toEqual(
      readPorts()
        .ports.map((p) => p.code)
        .sort(),
    );
    expect(data!.portsOfEntry).toHaveLength(25);
    expect(data!.sanYsidro).toEqual({
      name: 'San Ysidro',
      kind: 'LAND',
      state: { code: 'US-CA' },
      counterpartCity: 'Tijuana',
      counterpartState: { code: 'MX-BCN' },
      latitude: null,
      provenance: { source: { id: 'cbp-schedule-d-port-codes', kind: 'OFFICIAL' } },
    });
    expect(data!.otay).toEqual({ latitude: 32.57333, longitude: -117.05333 });
    expect(data!.texas.map((p) => p.code)).toEqual([
      '2301',
      '2302',
      '2303',
      '2304',
      '2305',
      '2307',
      '2309',
      '2310',
      '2402',
      '2403',
      '2404',
    ]);
  });

  it("gives CBP's fiscal-year totals and parcel statistics exactly as published", async () => {
    const { data } = await subgraph.execute<{
      seizureTotals: {
        fiscalYear: number;
        scope: string;
        pounds: number;
        qualifier: string;
        provenance: { source: { kind: string } };
      }[];
      parcelInspections: {
        fiscalYear: number;
        facility: string;
        poundsSeized: number;
        seizureIncidents: number | null;
      }[];
    }>(`#graphql
      { seizureTotals(drug: FENTANYL) { fiscalYear scope pounds qualifier provenance { source { kind } } }
        parcelInspections { fiscalYear facility poundsSeized seizureIncidents } }`);
    const nationwide = Object.fromEntries(
      data!.seizureTotals.filter((t) => t.scope === 'NATIONWIDE').map((t) => [t.fiscalYear, [t.pounds, t.qualifier]]),
    );
    expect(nationwide).toEqual({
      2019: [2800, 'APPROXIMATE'],
      2020: [4776, 'EXACT'],
      2021: [11200, 'APPROXIMATE'],
      2022: [14699.88, 'EXACT'],
      2023: [27000, 'AT_LEAST'],
      2024: [21889, 'EXACT'],
    });
    expect(data!.seizureTotals.find((t) => t.fiscalYear === 2024 && t.scope === 'SOUTHWEST_BORDER')?.pounds).toBe(
      21148,
    );
    expect(data!.seizureTotals.every((t) => t.provenance.source.kind === 'OFFICIAL')).toBe(true);
    expect(data!.seizureTotals).toHaveLength(readRecords().seizureTotals.length);
    expect(
      data!.parcelInspections
        .filter((p) => p.facility === 'EXPRESS_CONSIGNMENT')
        .map((p) => [p.fiscalYear, p.poundsSeized, p.seizureIncidents]),
    ).toEqual([
      [2020, 162.97, 38],
      [2021, 405.02, 87],
      [2022, 475.48, 131],
    ]);
  });

  it('labels the synthetic sample SYNTHETIC and spreads it over the ports', async () => {
    const { data } = await subgraph.execute<{
      drugSeizures: {
        totalCount: number;
        nodes: { recordId: string; provenance: { source: { id: string; kind: string }; recordedBy: string } }[];
      };
    }>(`#graphql
      { drugSeizures(first: 100) { totalCount nodes { recordId provenance { source { id kind } recordedBy } } } }`);
    // The test caller is a U.S. caller: the sample's seizures released to Mexico only are not counted.
    const released = await subgraph.prisma.drugSeizure.count({ where: releasedTo() });
    expect(released).toBeLessThan(SYNTHETIC_SAMPLE.drugSeizures);
    expect(await subgraph.prisma.drugSeizure.count()).toBe(SYNTHETIC_SAMPLE.drugSeizures);
    expect(data!.drugSeizures.totalCount).toBe(released);
    expect(
      data!.drugSeizures.nodes.every(
        (n) => n.provenance.source.kind === 'SYNTHETIC' && n.provenance.recordedBy === 'synthetic',
      ),
    ).toBe(true);
    expect(data!.drugSeizures.nodes.every((n) => n.recordId.startsWith('SYN-DS-1-'))).toBe(true);
  });

  it('records a drug seizure with who, when and where from', async () => {
    const before = Date.now();
    const { data, errors } = await subgraph.execute<{ recordDrugSeizure: RecordedSeizure }>(RECORD, {
      input: seizure('CBP-SD-2025-0001'),
      submission: submission(),
    });
    expect(errors).toBeUndefined();
    const recorded = data!.recordDrugSeizure;
    expect(recorded).toMatchObject({
      recordId: 'CBP-SD-2025-0001',
      port: { code: '2504', name: 'San Ysidro' },
      state: { code: 'US-CA' },
      objective: { id: '2.3.3' },
      provenance: {
        source: { id: 'cbp-drug-seizures-report-2023-01', kind: 'OFFICIAL' },
        status: 'FINAL',
        releasableTo: 'BOTH',
        // The verified caller: the submission's (deprecated) submittedBy is ignored.
        recordedBy: TEST_RECORDED_BY,
      },
    });
    expect(recorded.quantityKg).toBeCloseTo(5.6699, 3);
    expect(new Date(recorded.provenance.recordedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const count = await subgraph.prisma.drugSeizure.count();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ quantity: -3 }, 'input.quantity', /more than 0/],
      [{ portCode: '9999' }, 'input.portCode', /port of entry 9999 does not exist/],
      [{ portCode: null }, 'input.portCode', /required for a seizure at a port/],
      [{ state: 'US-AZ' }, 'input.state', /port 2504 is in US-CA, not US-AZ/],
      [{ state: 'US-NY' }, 'input.state', /U.S. border state/],
      [{ seizedOn: '2099-01-01' }, 'input.seizedOn', /future/],
      [{ sourceId: 'nobody-published-this' }, 'input.sourceId', /source nobody-published-this does not exist/],
      [{ location: 'BETWEEN_PORTS' }, 'input.portCode', /must be empty for a seizure between ports/],
      [{ unit: 'DOSAGE_UNITS', drug: 'COCAINE' }, 'input.unit', /dosage units/],
    ];
    for (const [overrides, field, message] of cases) {
      const { errors } = await subgraph.execute(RECORD, {
        input: seizure(`CBP-BAD-${field}`, overrides),
        submission: submission(),
      });
      expect([codes(errors), errors?.[0]?.message]).toEqual([
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const badKey = await subgraph.execute(RECORD, {
      input: seizure('CBP-OK-1'),
      submission: { idempotencyKey: 'short', submittedBy: 'x' },
    });
    expect(codes(badKey.errors)).toEqual([['BAD_USER_INPUT', 'submission.idempotencyKey']]);
    expect(await subgraph.prisma.drugSeizure.count()).toBe(count);
  });

  it("pages through a port's seizures newest first without gaps or repeats", async () => {
    const PAGE = `#graphql
      query Page($after: String) {
        portOfEntry(code: "2304") { drugSeizures(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id seizedOn } } }
      }`;
    type PageResult = {
      portOfEntry: {
        drugSeizures: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          nodes: { id: string; seizedOn: string }[];
        };
      };
    };
    const seen: { id: string; seizedOn: string }[] = [];
    let after: string | null = null;
    let total = 0;
    for (let pages = 0; pages < 100; pages++) {
      const result: Awaited<ReturnType<typeof subgraph.execute<PageResult>>> = await subgraph.execute<PageResult>(
        PAGE,
        { after },
      );
      const page = result.data!.portOfEntry.drugSeizures;
      total = page.totalCount;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(50);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    const dates = seen.map((s) => s.seizedOn);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(total).toBe(await subgraph.prisma.drugSeizure.count({ where: { portCode: '2304', ...releasedTo() } }));

    const garbage = await subgraph.execute(PAGE, { after: 'not-a-cursor' });
    expect(codes(garbage.errors)).toEqual([['BAD_USER_INPUT', 'after']]);
  });

  it('resolves ports, regions and objectives through _entities with their records', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: Record<string, unknown>[] }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on PortOfEntry { code name drugSeizures(first: 1) { totalCount } }
          ... on Region { code ports { code } drugSeizures(first: 1) { totalCount } }
          ... on JointObjective { id drugSeizures(first: 1) { totalCount } smugglingInterdictions(first: 1) { totalCount } }
        }
      }`,
      {
        representations: [
          { __typename: 'PortOfEntry', code: '2604' },
          { __typename: 'Region', code: 'US-AZ' },
          { __typename: 'Region', code: 'MX-SON' },
          { __typename: 'JointObjective', id: '2.4.1' },
          { __typename: 'JointObjective', id: '1.1.1' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    const [nogales, arizona, sonora, smuggling, health] = data!._entities;
    expect(nogales).toMatchObject({ code: '2604', name: 'Nogales' });
    expect(arizona).toMatchObject({
      code: 'US-AZ',
      ports: ['2601', '2602', '2603', '2604', '2606', '2608'].map((code) => ({ code })),
    });
    expect(sonora).toMatchObject({
      code: 'MX-SON',
      ports: ['2601', '2602', '2603', '2604', '2606', '2608'].map((code) => ({ code })),
    });
    expect(smuggling).toMatchObject({
      id: '2.4.1',
      smugglingInterdictions: {
        totalCount: await subgraph.prisma.smugglingInterdiction.count({
          where: { objectiveId: '2.4.1', ...releasedTo() },
        }),
      },
    });
    expect(health).toEqual({ id: '1.1.1', drugSeizures: { totalCount: 0 }, smugglingInterdictions: { totalCount: 0 } });
  });

  it('reads ports with their seizures in the same number of SQL statements with 10x more seizures', async () => {
    const QUERY = `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on PortOfEntry { code drugSeizures(first: 5) { totalCount nodes { recordId provenance { source { id } } } }
                               smugglingInterdictions(first: 5) { totalCount nodes { recordId } } }
        }
      }`;
    const representations = readPorts().ports.map((p) => ({ __typename: 'PortOfEntry', code: p.code }));
    subgraph.statements.reset();
    const small = await subgraph.execute<{ _entities: { drugSeizures: { totalCount: number } }[] }>(QUERY, {
      representations,
    });
    const before = subgraph.statements.count;
    const seizuresBefore = small.data!._entities.reduce((sum, p) => sum + p.drugSeizures.totalCount, 0);

    await loadSynthetic(subgraph.prisma, {
      seed: 77,
      drugSeizures: SYNTHETIC_SAMPLE.drugSeizures * 10,
      interdictions: 0,
    });
    subgraph.statements.reset();
    const { data } = await subgraph.execute<{ _entities: { drugSeizures: { totalCount: number } }[] }>(QUERY, {
      representations,
    });
    expect(data!._entities.reduce((sum, p) => sum + p.drugSeizures.totalCount, 0)).toBeGreaterThan(seizuresBefore * 9);
    expect(subgraph.statements.count).toBe(before);
    expect(before).toBeLessThanOrEqual(9);
  });
});

recordsSuite({
  name: 'border-trade',
  module: borderTrade,
  domain: 'BorderTrade',
  records: [drugSeizures, interdictions],
});
