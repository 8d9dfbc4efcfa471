import { MX_STATES, syntheticProgrammes, US_STATES } from '@bicentennial/seeds/synthetic/publicHealth';
import {
  recordsSuite,
  releasedTo,
  startTestSubgraph,
  TEST_RECORDED_BY,
  visibleTo,
  type TestSubgraph,
  listFilterProbe,
  on,
  between,
  BY_YEAR_OF_DAY,
} from '@bicentennial/testing';
import { homicide, homicideStatistics, programme, programmes, TEST_SOURCE } from './cases';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { readRecords, SYNTHETIC_SAMPLE } from '../seed';
import * as publicHealth from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';

type Errors = readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);
const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const P = 'PROVISIONAL';
const F = 'FINAL';

/**
 * CDC NCHS overdose deaths, public-figures.md §1, copied by hand: period, drug class, deaths,
 * its qualifier, age-adjusted rate, status, publication.
 */
const OVERDOSE_REFERENCE: [string, string, number | null, string | null, number | null, string, string][] = [
  ['2021-04/12M', 'ALL_DRUGS', 101167, 'EXACT', null, P, 'nchs-blog-2022-09-14'],
  ['2021-10/12M', 'ALL_DRUGS', 105752, 'EXACT', null, P, 'nchs-vsrr-12m-2021-10'],
  ['2021-11/12M', 'ALL_DRUGS', 106854, 'EXACT', null, P, 'nchs-vsrr-12m-2021-11'],
  ['2021-12/12M', 'ALL_DRUGS', 107622, 'EXACT', null, P, 'nchs-release-2022-05-11'],
  ['2021', 'ALL_DRUGS', 106699, 'EXACT', 32.4, F, 'nchs-data-brief-457'],
  ['2022-04/12M', 'ALL_DRUGS', 108174, 'EXACT', null, P, 'nchs-blog-2022-09-14'],
  ['2022', 'ALL_DRUGS', 107941, 'EXACT', 32.6, F, 'nchs-data-brief-491'],
  ['2022-12/12M', 'ALL_DRUGS', 111029, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2023-12/12M', 'ALL_DRUGS', 107543, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2023', 'ALL_DRUGS', 110037, 'EXACT', null, P, 'nchs-vsrr-release-2025-05-14'],
  ['2023', 'ALL_DRUGS', 105007, 'EXACT', 31.3, F, 'nchs-data-brief-522'],
  ['2024-09/12M', 'ALL_DRUGS', 86882, 'EXACT', null, P, 'nchs-vsrr-release-2025-02'],
  ['2024', 'ALL_DRUGS', 80391, 'EXACT', null, P, 'nchs-vsrr-release-2025-05-14'],
  ['2022-04/12M', 'OPIOIDS', 81692, 'EXACT', null, P, 'nchs-blog-2022-09-14'],
  ['2022-12/12M', 'OPIOIDS', 84181, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2023-12/12M', 'OPIOIDS', 81083, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2024-09/12M', 'OPIOIDS', 61393, 'EXACT', null, P, 'nchs-vsrr-release-2025-02'],
  ['2020', 'SYNTHETIC_OPIOIDS', 58000, 'APPROXIMATE', null, P, 'nchs-release-2022-05-11'],
  ['2021', 'SYNTHETIC_OPIOIDS', 71000, 'APPROXIMATE', null, P, 'nchs-release-2022-05-11'],
  ['2021', 'SYNTHETIC_OPIOIDS', null, null, 21.8, F, 'nchs-data-brief-491'],
  ['2022', 'SYNTHETIC_OPIOIDS', null, null, 22.7, F, 'nchs-data-brief-491'],
  ['2022-12/12M', 'SYNTHETIC_OPIOIDS', 76226, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2023-12/12M', 'SYNTHETIC_OPIOIDS', 74702, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2024-09/12M', 'SYNTHETIC_OPIOIDS', 55126, 'EXACT', null, P, 'nchs-vsrr-release-2025-02'],
  ['2023-12/12M', 'PSYCHOSTIMULANTS', 36251, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2024-09/12M', 'PSYCHOSTIMULANTS', 30689, 'EXACT', null, P, 'nchs-vsrr-release-2025-02'],
  ['2023-12/12M', 'COCAINE', 29918, 'EXACT', null, P, 'nchs-press-release-2024-05-15'],
  ['2024-09/12M', 'COCAINE', 24279, 'EXACT', null, P, 'nchs-vsrr-release-2025-02'],
];

const I = 'INEGI_DEATH_CERTIFICATES';
const S = 'SESNSP_VICTIMS';
const INEGI21 = 'inegi-edr-homicidios-2021-preliminar';
const INEGI24 = 'inegi-edr-homicidios-2024-preliminar';
const EFE = 'inegi-edr-homicidios-definitive-efe-2025';
const SESNSP24 = 'sesnsp-victimas-fuero-comun-2024-01';
const SESNSP25 = 'sesnsp-victimas-fuero-comun-2025-01';

/**
 * Mexican homicides, public-figures.md §6, copied by hand: period, region, measure, count, its
 * qualifier, rate per 100,000, firearm share, status, publication.
 */
const HOMICIDE_REFERENCE: [
  string,
  string,
  string,
  number | null,
  string | null,
  number | null,
  number | null,
  string,
  string,
][] = [
  ['2018', 'MX', I, 36685, 'EXACT', 29, null, F, EFE],
  ['2019-H1', 'MX', I, 17198, 'EXACT', null, null, P, 'inegi-edr-homicidios-2019-h1'],
  ['2019', 'MX', I, 36661, 'EXACT', 29, null, F, EFE],
  ['2020', 'MX', I, 36773, 'EXACT', 29, null, F, INEGI21],
  ['2021', 'MX', I, 35625, 'EXACT', 28, null, P, INEGI21],
  ['2021', 'MX', I, 35700, 'APPROXIMATE', null, null, F, EFE],
  ['2022', 'MX', I, 32223, 'EXACT', 25, null, P, 'inegi-edr-homicidios-2022-preliminar'],
  ['2022', 'MX', I, 33287, 'EXACT', 25.9, null, F, 'inegi-edr-homicidios-2022-definitive'],
  ['2023-H1', 'MX', I, 15082, 'EXACT', 12, null, P, 'inegi-edr-homicidios-2023-h1'],
  ['2023', 'MX', I, 31062, 'EXACT', 24.0, 70.0, P, 'inegi-edr-homicidios-2023-preliminar'],
  ['2023', 'MX', I, 32252, 'EXACT', 24.9, null, F, 'inegi-edr-homicidios-2023-definitive'],
  ['2024-H1', 'MX', I, 15243, 'EXACT', 11.7, null, P, 'inegi-edr-homicidios-2024-h1'],
  ['2024', 'MX', I, 33241, 'EXACT', 25.6, 71.8, P, INEGI24],
  ['2024', 'MX', I, 33550, 'EXACT', 25.8, null, P, 'inegi-edr-homicidios-2024-later-figures'],
  ['2021', 'MX-GUA', I, 4333, 'EXACT', null, null, P, INEGI21],
  ['2021', 'MX-BCN', I, 3246, 'EXACT', null, null, P, INEGI21],
  ['2021', 'MX-MEX', I, 3114, 'EXACT', null, null, P, INEGI21],
  ['2021', 'MX-CHH', I, 2743, 'EXACT', null, null, P, INEGI21],
  // Given as "2,691/2,692" in the reference: recorded as approximately 2,691.
  ['2021', 'MX-MIC', I, 2691, 'APPROXIMATE', null, null, P, INEGI21],
  ['2021', 'MX-JAL', I, 2231, 'EXACT', null, null, P, INEGI21],
  ['2024', 'MX-COL', I, null, null, 123, null, P, INEGI24],
  ['2024', 'MX-MOR', I, null, null, 77, null, P, INEGI24],
  ['2024', 'MX-BCN', I, null, null, 65, null, P, INEGI24],
  ['2024', 'MX-GUA', I, null, null, 63, null, P, INEGI24],
  ['2024', 'MX-CHH', I, null, null, 60, null, P, INEGI24],
  ['2018-12', 'MX', S, 2893, 'EXACT', null, null, P, SESNSP24],
  ['2019-H1', 'MX', S, 14626, 'EXACT', null, null, P, 'sesnsp-victimas-fuero-comun-2019-h1'],
  ['2019', 'MX', S, 34720, 'EXACT', null, null, P, SESNSP24],
  ['2020', 'MX', S, 34569, 'EXACT', null, null, P, SESNSP24],
  ['2021', 'MX', S, 33361, 'EXACT', null, null, P, SESNSP24],
  ['2022', 'MX', S, 30973, 'EXACT', null, null, P, SESNSP24],
  ['2023', 'MX', S, 29405, 'EXACT', null, null, P, SESNSP24],
  ['2023', 'MX', S, 29713, 'EXACT', null, null, P, SESNSP25],
  ['2024', 'MX', S, 29820, 'EXACT', null, null, P, SESNSP25],
];

interface Provenance {
  source: { id: string; kind: string };
  status: string;
  releasableTo: string;
  recordedBy: string;
  recordedAt: string;
}

interface OverdoseResult {
  period: string;
  periodKind: string;
  drugClass: string;
  deaths: number | null;
  deathsQualifier: string | null;
  ageAdjustedRatePer100k: number | null;
  status: string;
  country: { code: string };
  objective: { id: string };
  provenance: Provenance;
}

interface HomicideResult {
  id: string;
  period: string;
  periodKind: string;
  periodEnd: string;
  region: { code: string };
  measure: string;
  count: number | null;
  countQualifier: string | null;
  ratePer100k: number | null;
  firearmSharePercent: number | null;
  status: string;
  objective: { id: string };
  provenance: Provenance;
}

interface ProgrammeResult {
  id: string;
  recordId: string;
  name: string;
  kind: string;
  objective: { id: string };
  country: { code: string } | null;
  region: { code: string } | null;
  startedOn: string;
  endedOn: string | null;
  fundingUsd: number | null;
  fundingQualifier: string | null;
  peopleReached: number | null;
  note: string | null;
  provenance: Provenance;
}

interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

const PROVENANCE = 'provenance { source { id kind } status releasableTo recordedBy recordedAt }';
const OVERDOSE_FIELDS = `period periodKind drugClass deaths deathsQualifier ageAdjustedRatePer100k status
  country { code } objective { id } ${PROVENANCE}`;
const HOMICIDE_FIELDS = `id period periodKind periodEnd region { code } measure count countQualifier ratePer100k
  firearmSharePercent status objective { id } ${PROVENANCE}`;
const PROGRAMME_FIELDS = `id recordId name kind objective { id } country { code } region { code } startedOn endedOn
  fundingUsd fundingQualifier peopleReached note ${PROVENANCE}`;

const RECORD_HOMICIDE = `#graphql
  mutation Record($input: HomicideStatisticInput!, $submission: SubmissionInput!) {
    recordHomicideStatistic(input: $input, submission: $submission) { ${HOMICIDE_FIELDS} }
  }
`;
const RECORD_PROGRAMME = `#graphql
  mutation Record($input: ProgrammeInput!, $submission: SubmissionInput!) {
    recordProgramme(input: $input, submission: $submission) { ${PROGRAMME_FIELDS} }
  }
`;

let keyCounter = 0;
const submission = (key?: string) => ({
  idempotencyKey: key ?? `test-key-${++keyCounter}-${Date.now()}`,
  submittedBy: 'analista@sesnsp',
});

const ENTITIES = `#graphql
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on PublicHealthIndicator { id observations { period value regionCode status source { id } } }
      ... on Region {
        code
        homicides(first: 100) { totalCount nodes { period region { code } measure count ratePer100k status } }
        programmes(first: 100) { totalCount nodes { recordId country { code } region { code } } }
      }
      ... on JointObjective {
        id
        overdoseDeaths { period drugClass deaths ageAdjustedRatePer100k status provenance { source { id } } }
        homicideStatistics(first: 1) { totalCount }
        programmes(first: 100) { totalCount nodes { recordId kind objective { id } } }
      }
    }
  }
`;

interface IndicatorEntity {
  id: string;
  observations: { period: string; value: number; regionCode: string | null; status: string; source: { id: string } }[];
}

describe('public-health records', () => {
  let subgraph: TestSubgraph<PrismaClient>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(publicHealth);
    const { errors } = await subgraph.execute(
      `#graphql
      mutation ($input: SourceInput!, $submission: SubmissionInput!) {
        registerPublicHealthSource(input: $input, submission: $submission) { id }
      }`,
      {
        input: {
          id: TEST_SOURCE,
          publisher: 'Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública (SESNSP)',
          title: 'Test publication for the submission tests',
          kind: 'SYNTHETIC',
        },
        submission: submission(),
      },
    );
    expect(errors).toBeUndefined();
  });
  afterAll(() => subgraph.close());

  it('holds every CDC overdose figure of the reference by drug class, exactly', async () => {
    const { data, errors } = await subgraph.execute<{ overdoseDeaths: OverdoseResult[] }>(
      `#graphql
      { overdoseDeaths { ${OVERDOSE_FIELDS} } }`,
    );
    expect(errors).toBeUndefined();
    const rows = data!.overdoseDeaths;
    expect(
      sorted(
        rows.map((o) => [
          o.period,
          o.drugClass,
          o.deaths,
          o.deathsQualifier,
          o.ageAdjustedRatePer100k,
          o.status,
          o.provenance.source.id,
        ]),
      ),
    ).toEqual(sorted(OVERDOSE_REFERENCE));
    expect(rows.every((o) => o.country.code === 'US' && o.provenance.source.kind === 'OFFICIAL')).toBe(true);
    expect(rows.every((o) => o.provenance.recordedBy === 'seed' && o.provenance.releasableTo === 'BOTH')).toBe(true);
    expect(rows.every((o) => o.provenance.status === o.status)).toBe(true);
    // Final counts are calendar years; a 12-month-ending (VSRR) count is provisional. Provisional
    // totals a release gives for a calendar year (2023 and 2024 in May 2025) stay calendar years.
    expect(rows.every((o) => o.status !== F || o.periodKind === 'CALENDAR_YEAR')).toBe(true);
    expect(rows.every((o) => o.periodKind !== 'TWELVE_MONTHS_ENDING' || o.status === P)).toBe(true);
    expect(rows.filter((o) => o.status === P && o.periodKind === 'CALENDAR_YEAR').map((o) => o.period)).toEqual([
      '2020',
      '2021',
      '2023',
      '2024',
    ]);
    // Oldest period first.
    expect(rows[0]).toMatchObject({ period: '2020', drugClass: 'SYNTHETIC_OPIOIDS' });
    expect(rows.at(-1)).toMatchObject({ period: '2024', periodKind: 'CALENDAR_YEAR', deaths: 80391 });
  });

  it('filters overdose deaths by drug class and status, and counts opioids toward 1.1.2', async () => {
    const { data } = await subgraph.execute<{ synthetic: OverdoseResult[]; final: OverdoseResult[] }>(
      `#graphql
      { synthetic: overdoseDeaths(drugClass: SYNTHETIC_OPIOIDS, status: FINAL) { ${OVERDOSE_FIELDS} }
        final: overdoseDeaths(drugClass: ALL_DRUGS, status: FINAL) { ${OVERDOSE_FIELDS} } }`,
    );
    expect(data!.synthetic.map((o) => [o.period, o.deaths, o.ageAdjustedRatePer100k, o.objective.id])).toEqual([
      ['2021', null, 21.8, '1.1.2'],
      ['2022', null, 22.7, '1.1.2'],
    ]);
    expect(data!.final.map((o) => [o.period, o.deaths, o.ageAdjustedRatePer100k, o.objective.id])).toEqual([
      ['2021', 106699, 32.4, '1.1.1'],
      ['2022', 107941, 32.6, '1.1.1'],
      ['2023', 105007, 31.3, '1.1.1'],
    ]);
  });

  it('holds every homicide figure of the reference, INEGI and SESNSP, national and by state, exactly', async () => {
    const { data, errors } = await subgraph.execute<{ homicideStatistics: Connection<HomicideResult> }>(
      `#graphql
      { homicideStatistics(first: 100) { totalCount nodes { ${HOMICIDE_FIELDS} } } }`,
    );
    expect(errors).toBeUndefined();
    const { nodes, totalCount } = data!.homicideStatistics;
    expect(totalCount).toBe(HOMICIDE_REFERENCE.length);
    expect(
      sorted(
        nodes.map((h) => [
          h.period,
          h.region.code,
          h.measure,
          h.count,
          h.countQualifier,
          h.ratePer100k,
          h.firearmSharePercent,
          h.status,
          h.provenance.source.id,
        ]),
      ),
    ).toEqual(sorted(HOMICIDE_REFERENCE));
    expect(nodes.every((h) => h.objective.id === '1.3.1' && h.provenance.source.kind === 'OFFICIAL')).toBe(true);
    // Michoacán 2021 is published as both 2,691 and 2,692: recorded as approximate, and said so.
    expect(nodes.filter((h) => h.region.code === 'MX-MIC').map((h) => [h.count, h.countQualifier])).toEqual([
      [2691, 'APPROXIMATE'],
    ]);
    const ends = nodes.map((h) => h.periodEnd);
    expect(ends).toEqual([...ends].sort().reverse());
  });

  it('gives Region MX both sources for the same years, and a state its own figures', async () => {
    const { data, errors } = await subgraph.execute<{
      _entities: { code: string; homicides: Connection<HomicideResult>; sesnsp?: Connection<HomicideResult> }[];
    }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Region {
            code
            homicides(first: 100) { totalCount nodes { ${HOMICIDE_FIELDS} } }
            sesnsp: homicides(measure: SESNSP_VICTIMS, first: 100) { totalCount nodes { measure } }
          }
        }
      }`,
      {
        representations: ['MX', 'MX-GUA', 'MX-COL', 'US', 'US-TX'].map((code) => ({ __typename: 'Region', code })),
      },
    );
    expect(errors).toBeUndefined();
    const [mexico, guanajuato, colima, us, texas] = data!._entities;
    const figures = (region: typeof mexico, period: string) =>
      region!.homicides.nodes
        .filter((h) => h.period === period)
        .map((h) => [h.measure, h.count, h.status, h.provenance.source.id]);

    expect(sorted(figures(mexico, '2019'))).toEqual(
      sorted([
        [I, 36661, F, EFE],
        [S, 34720, P, SESNSP24],
      ]),
    );
    expect(sorted(figures(mexico, '2019-H1')).map(([measure, count]) => [measure, count])).toEqual([
      [I, 17198],
      [S, 14626],
    ]);
    expect(figures(mexico, '2023')).toHaveLength(4);
    expect(mexico!.homicides.totalCount).toBe(HOMICIDE_REFERENCE.filter((h) => h[1] === 'MX').length);
    expect(mexico!.homicides.nodes.every((h) => h.region.code === 'MX')).toBe(true);
    expect(mexico!.sesnsp!.totalCount).toBe(HOMICIDE_REFERENCE.filter((h) => h[1] === 'MX' && h[2] === S).length);
    expect(mexico!.sesnsp!.nodes.every((h) => h.measure === S)).toBe(true);

    expect(guanajuato!.homicides.nodes.map((h) => [h.period, h.count, h.ratePer100k])).toEqual([
      ['2024', null, 63],
      ['2021', 4333, null],
    ]);
    expect(colima!.homicides.nodes.map((h) => [h.period, h.ratePer100k])).toEqual([['2024', 123]]);
    expect(us!.homicides).toEqual({ totalCount: 0, nodes: [] });
    expect(texas!.homicides.totalCount).toBe(0);
  });

  it('keeps the records and the indicator observations in agreement, value for value', async () => {
    const OVERDOSE_COUNTS: Record<string, string> = {
      ALL_DRUGS: '1.1.1/us-overdose-deaths',
      PSYCHOSTIMULANTS: '1.1.1/us-psychostimulant-overdose-deaths',
      COCAINE: '1.1.1/us-cocaine-overdose-deaths',
      OPIOIDS: '1.1.2/us-opioid-overdose-deaths',
      SYNTHETIC_OPIOIDS: '1.1.2/us-synthetic-opioid-overdose-deaths',
    };
    const OVERDOSE_RATES: Record<string, string> = {
      ALL_DRUGS: '1.1.1/us-overdose-death-rate',
      SYNTHETIC_OPIOIDS: '1.1.2/us-synthetic-opioid-overdose-death-rate',
    };
    const HOMICIDE_INDICATORS = {
      count: '1.3.1/mx-homicides',
      ratePer100k: '1.3.1/mx-homicide-rate',
      firearmSharePercent: '1.3.1/mx-homicides-firearm-share',
    } as const;
    const indicatorIds = [
      ...Object.values(OVERDOSE_COUNTS),
      ...Object.values(OVERDOSE_RATES),
      ...Object.values(HOMICIDE_INDICATORS),
    ];
    const { data, errors } = await subgraph.execute<{
      overdoseDeaths: OverdoseResult[];
      homicideStatistics: Connection<HomicideResult>;
      _entities: IndicatorEntity[];
    }>(
      `#graphql
      query ($representations: [_Any!]!) {
        overdoseDeaths { ${OVERDOSE_FIELDS} }
        homicideStatistics(first: 100) { nodes { ${HOMICIDE_FIELDS} } }
        _entities(representations: $representations) {
          ... on PublicHealthIndicator { id observations { period value regionCode status source { id } } }
        }
      }`,
      { representations: indicatorIds.map((id) => ({ __typename: 'PublicHealthIndicator', id })) },
    );
    expect(errors).toBeUndefined();
    const observations = sorted(
      data!._entities.flatMap((indicator) =>
        indicator.observations.map((o) => [
          indicator.id,
          o.period,
          o.regionCode ?? 'national',
          o.status,
          o.source.id,
          o.value,
        ]),
      ),
    );
    const fromRecords = sorted([
      ...data!.overdoseDeaths.flatMap((o) => {
        if (o.provenance.recordedBy !== 'seed') return [];
        const key = [o.period, 'national', o.status, o.provenance.source.id];
        const rate = OVERDOSE_RATES[o.drugClass];
        return [
          ...(o.deaths === null ? [] : [[OVERDOSE_COUNTS[o.drugClass], ...key, o.deaths]]),
          ...(o.ageAdjustedRatePer100k === null
            ? []
            : [[rate ?? 'no rate indicator', ...key, o.ageAdjustedRatePer100k]]),
        ];
      }),
      ...data!.homicideStatistics.nodes.flatMap((h) => {
        if (h.provenance.recordedBy !== 'seed') return [];
        const key = [h.period, h.region.code === 'MX' ? 'national' : h.region.code, h.status, h.provenance.source.id];
        return (['count', 'ratePer100k', 'firearmSharePercent'] as const).flatMap((field) =>
          h[field] === null ? [] : [[HOMICIDE_INDICATORS[field], ...key, h[field]]],
        );
      }),
    ]);
    expect(fromRecords).toEqual(observations);
    expect(observations).toHaveLength(79);
  });

  it('records the public programmes with what the reference states and nothing else', async () => {
    const { data } = await subgraph.execute<{
      dfc: ProgrammeResult;
      hhs: ProgrammeResult;
      mou: ProgrammeResult;
      none: ProgrammeResult | null;
    }>(
      `#graphql
      { dfc: programme(recordId: "ONDCP-DFC-HLSD-2023") { ${PROGRAMME_FIELDS} }
        hhs: programme(recordId: "HHS-OPIOID-CRISIS-HLSD-2022") { ${PROGRAMME_FIELDS} }
        mou: programme(recordId: "BINATIONAL-MOU-MENTAL-HEALTH-2022-04-27") { ${PROGRAMME_FIELDS} }
        none: programme(recordId: "NO-SUCH-PROGRAMME") { id } }`,
    );
    expect(data!.dfc).toMatchObject({
      kind: 'PREVENTION',
      objective: { id: '1.1.1' },
      country: { code: 'US' },
      region: null,
      startedOn: '2023-10-05',
      endedOn: null,
      fundingUsd: 20_500_000,
      fundingQualifier: 'EXACT',
      peopleReached: null,
      provenance: { source: { id: 'ondcp-hlsd-2023-10-05', kind: 'OFFICIAL' }, recordedBy: 'seed' },
    });
    expect(data!.dfc.note).toMatch(/164 new Drug-Free Communities coalitions, 751 coalitions in all/);
    expect(data!.hhs).toMatchObject({
      kind: 'TREATMENT',
      objective: { id: '1.1.2' },
      country: { code: 'US' },
      startedOn: '2022-10-14',
      fundingUsd: 1_500_000_000,
      fundingQualifier: 'APPROXIMATE',
      peopleReached: null,
      endedOn: null,
      provenance: { source: { id: 'white-house-hlsd-2022-joint-statement' } },
    });
    expect(data!.mou).toMatchObject({
      kind: 'PREVENTION',
      country: null,
      region: null,
      startedOn: '2022-04-27',
      endedOn: null,
      fundingUsd: null,
      fundingQualifier: null,
      peopleReached: null,
    });
    expect(data!.none).toBeNull();
  });

  it('labels the synthetic programmes SYNTHETIC, spreads them over the objectives, and generates them deterministically', async () => {
    const { data } = await subgraph.execute<{ programmes: Connection<ProgrammeResult> }>(
      `#graphql
      { programmes(first: 100) { totalCount nodes { ${PROGRAMME_FIELDS} } } }`,
    );
    const synthetic = data!.programmes.nodes.filter((p) => p.provenance.source.kind === 'SYNTHETIC');
    // The test caller is a U.S. caller: the synthetic programmes released to Mexico only are not counted.
    const released = [...syntheticProgrammes(SYNTHETIC_SAMPLE.seed, SYNTHETIC_SAMPLE.programmes)].filter((p) =>
      visibleTo(p),
    );
    expect(released.length).toBeLessThan(SYNTHETIC_SAMPLE.programmes);
    // The public programmes of records.json are released to both countries (the column's default).
    expect(data!.programmes.totalCount).toBe(released.length + readRecords().programmes.length);
    expect(synthetic.length).toBeGreaterThan(90);
    expect(
      synthetic.every(
        (p) =>
          p.provenance.source.id === SYNTHETIC_SOURCE_ID &&
          p.provenance.recordedBy === 'synthetic' &&
          p.recordId.startsWith('SYN-PG-1-') &&
          p.name.startsWith('Synthetic '),
      ),
    ).toBe(true);
    expect(new Set(synthetic.map((p) => p.objective.id))).toEqual(new Set(['1.1.1', '1.1.2', '1.2.1', '1.2.2']));

    const first = [...syntheticProgrammes(5, 50)];
    expect([...syntheticProgrammes(5, 50)]).toEqual(first);
    expect([...syntheticProgrammes(6, 50)]).not.toEqual(first);
    for (const p of first) {
      expect(p.regionCode === null || p.regionCode.startsWith(`${p.countryCode}-`)).toBe(true);
      expect(p.endedOn === null || p.endedOn >= p.startedOn).toBe(true);
    }
  });

  it('resolves indicators, regions and objectives through _entities with their records', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: Record<string, unknown>[] }>(ENTITIES, {
      representations: [
        { __typename: 'PublicHealthIndicator', id: '1.1.1/us-overdose-deaths' },
        { __typename: 'Region', code: 'MX-JAL' },
        { __typename: 'JointObjective', id: '1.1.1' },
        { __typename: 'JointObjective', id: '1.1.2' },
        { __typename: 'JointObjective', id: '1.3.1' },
        { __typename: 'JointObjective', id: '2.2.1' },
      ],
    });
    expect(errors).toBeUndefined();
    const [indicator, jalisco, prevention, treatment, homicides, firearms] = data!._entities as [
      IndicatorEntity,
      { code: string; homicides: Connection<HomicideResult>; programmes: Connection<ProgrammeResult> },
      { overdoseDeaths: OverdoseResult[]; programmes: Connection<ProgrammeResult> },
      { overdoseDeaths: OverdoseResult[]; programmes: Connection<ProgrammeResult> },
      { homicideStatistics: { totalCount: number } },
      Record<string, unknown>,
    ];
    expect(indicator.observations.filter((o) => o.period === '2023')).toEqual([
      expect.objectContaining({ value: 110037, status: P }),
      expect.objectContaining({ value: 105007, status: F }),
    ]);
    expect(jalisco.homicides.nodes.map((h) => [h.period, h.count])).toEqual([['2021', 2231]]);
    expect(jalisco.programmes.nodes.every((p) => p.region?.code === 'MX-JAL')).toBe(true);
    expect(new Set(prevention.overdoseDeaths.map((o) => o.drugClass))).toEqual(
      new Set(['ALL_DRUGS', 'PSYCHOSTIMULANTS', 'COCAINE']),
    );
    expect(new Set(treatment.overdoseDeaths.map((o) => o.drugClass))).toEqual(
      new Set(['OPIOIDS', 'SYNTHETIC_OPIOIDS']),
    );
    expect(prevention.overdoseDeaths.length + treatment.overdoseDeaths.length).toBe(OVERDOSE_REFERENCE.length);
    expect(prevention.programmes.nodes.every((p) => p.kind === 'PREVENTION' && p.objective.id === '1.1.1')).toBe(true);
    expect(prevention.programmes.nodes.map((p) => p.recordId)).toEqual(
      expect.arrayContaining(['ONDCP-DFC-HLSD-2023', 'BINATIONAL-MOU-MENTAL-HEALTH-2022-04-27']),
    );
    expect(treatment.programmes.nodes.every((p) => ['TREATMENT', 'HARM_REDUCTION'].includes(p.kind))).toBe(true);
    expect(homicides.homicideStatistics.totalCount).toBe(HOMICIDE_REFERENCE.length);
    expect(firearms).toEqual({
      id: '2.2.1',
      overdoseDeaths: [],
      homicideStatistics: { totalCount: 0 },
      programmes: { totalCount: 0, nodes: [] },
    });
  });

  it('records a homicide statistic with who, when and where from', async () => {
    const before = Date.now();
    const { data, errors } = await subgraph.execute<{ recordHomicideStatistic: HomicideResult }>(RECORD_HOMICIDE, {
      input: homicide({ period: '2025-H1', periodKind: 'HALF_YEAR', region: 'MX', count: 12000, ratePer100k: 9.1 }),
      submission: submission(),
    });
    expect(errors).toBeUndefined();
    expect(data!.recordHomicideStatistic).toMatchObject({
      period: '2025-H1',
      periodKind: 'HALF_YEAR',
      periodEnd: '2025-06-30',
      region: { code: 'MX' },
      measure: S,
      count: 12000,
      countQualifier: 'EXACT',
      ratePer100k: 9.1,
      firearmSharePercent: null,
      status: P,
      objective: { id: '1.3.1' },
      provenance: {
        source: { id: TEST_SOURCE, kind: 'SYNTHETIC' },
        status: P,
        releasableTo: 'BOTH',
        // The verified caller: the submission's (deprecated) submittedBy is ignored.
        recordedBy: TEST_RECORDED_BY,
      },
    });
    expect(new Date(data!.recordHomicideStatistic.provenance.recordedAt).getTime()).toBeGreaterThanOrEqual(
      before - 1000,
    );
  });

  it('rejects bad homicide statistics and programmes with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const [homicides, programmes] = await Promise.all([
      subgraph.prisma.homicideStatistic.count(),
      subgraph.prisma.programme.count(),
    ]);
    const homicideCases: [Record<string, unknown>, string, RegExp][] = [
      [{ period: '2025' }, 'input.period', /a MONTH period is written YYYY-MM/],
      [{ period: '2025-13' }, 'input.period', /a MONTH period is written YYYY-MM/],
      [{ period: '2024', periodKind: 'HALF_YEAR' }, 'input.period', /a HALF_YEAR period is written YYYY-H1 or YYYY-H2/],
      [{ period: '2099', periodKind: 'CALENDAR_YEAR' }, 'input.period', /future/],
      [{ period: 'FY2024', periodKind: 'FISCAL_YEAR' }, 'input.periodKind', /CALENDAR_YEAR, HALF_YEAR, MONTH/],
      [{ region: 'US-TX' }, 'input.region', /Mexican state/],
      [{ count: -1 }, 'input.count', /0 or more/],
      [{ count: null }, 'input.count', /a count, a rate per 100,000 or both/],
      [{ count: null, ratePer100k: 9, countQualifier: 'APPROXIMATE' }, 'input.countQualifier', /give the count/],
      [{ firearmSharePercent: 120 }, 'input.firearmSharePercent', /at most 100/],
      [{ sourceId: 'nobody-published-this' }, 'input.sourceId', /source nobody-published-this does not exist/],
    ];
    for (const [overrides, field, message] of homicideCases) {
      const { errors } = await subgraph.execute(RECORD_HOMICIDE, {
        input: homicide(overrides),
        submission: submission(),
      });
      expect([field, codes(errors), errors?.[0]?.message]).toEqual([
        field,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const programmeCases: [Record<string, unknown>, string, RegExp][] = [
      [{ region: 'US-TX' }, 'input.region', /state of MX such as MX-GUA/],
      [{ country: null }, 'input.region', /needs its country/],
      [{ endedOn: '2023-01-01' }, 'input.endedOn', /not be before startedOn/],
      [{ startedOn: '2099-01-01' }, 'input.startedOn', /future/],
      [{ fundingUsd: null, fundingQualifier: 'APPROXIMATE' }, 'input.fundingQualifier', /give the amount/],
      [{ fundingUsd: -5 }, 'input.fundingUsd', /0 or more/],
      [{ peopleReached: -2 }, 'input.peopleReached', /0 or more/],
      [{ name: '  ' }, 'input.name', /not be empty/],
      [{ sourceId: 'Not A Source' }, 'input.sourceId', /kebab-case id of a registered source/],
    ];
    for (const [index, [overrides, field, message]] of programmeCases.entries()) {
      const { errors } = await subgraph.execute(RECORD_PROGRAMME, {
        input: programme(`PG-BAD-${index}`, overrides),
        submission: submission(),
      });
      expect([field, codes(errors), errors?.[0]?.message]).toEqual([
        field,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const badKey = await subgraph.execute(RECORD_PROGRAMME, {
      input: programme('PG-OK-1'),
      submission: { idempotencyKey: 'short', submittedBy: 'x' },
    });
    expect(codes(badKey.errors)).toEqual([['BAD_USER_INPUT', 'submission.idempotencyKey']]);
    expect(await subgraph.prisma.homicideStatistic.count()).toBe(homicides);
    expect(await subgraph.prisma.programme.count()).toBe(programmes);
  });

  it('refuses other data under a published figure, and records a programme with what it derives', async () => {
    // A published figure cannot be overwritten: another count under its natural key is a conflict.
    const published = await subgraph.execute(RECORD_HOMICIDE, {
      input: {
        ...homicide({ period: '2019', periodKind: 'CALENDAR_YEAR', region: 'MX', count: 1 }),
        sourceId: SESNSP24,
      },
      submission: submission(),
    });
    expect(codes(published.errors)).toEqual([['CONFLICT', undefined]]);
    expect(published.errors?.[0]?.message).toMatch(/2019\|MX\|SESNSP_VICTIMS\|.* already exists with different data/);

    const recorded = await subgraph.execute<{ recordProgramme: ProgrammeResult }>(RECORD_PROGRAMME, {
      input: programme('PG-RECORDED-1'),
      submission: submission(),
    });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordProgramme).toMatchObject({
      objective: { id: '1.1.1' },
      country: { code: 'MX' },
      region: { code: 'MX-CHH' },
      fundingQualifier: 'EXACT',
      endedOn: null,
    });
  });

  it('pages through a region and an objective newest first without gaps or repeats', async () => {
    type PageResult = {
      _entities: { homicides?: Connection<HomicideResult>; programmes: Connection<ProgrammeResult> }[];
    };
    const walk = async (
      representation: Record<string, string>,
      field: 'homicides' | 'programmes',
      sortField: 'periodEnd' | 'startedOn',
    ) => {
      const PAGE = `#graphql
        query ($representations: [_Any!]!, $after: String) {
          _entities(representations: $representations) {
            ... on Region { ${field}(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id ${sortField} } } }
            ... on JointObjective { ${field}: ${field === 'homicides' ? 'homicideStatistics' : 'programmes'}(first: 7, after: $after) {
                totalCount pageInfo { hasNextPage endCursor } nodes { id ${sortField} } } }
          }
        }`;
      const seen: Record<string, string>[] = [];
      let after: string | null = null;
      let total = 0;
      for (let pages = 0; pages < 200; pages++) {
        const result: Awaited<ReturnType<typeof subgraph.execute<PageResult>>> = await subgraph.execute<PageResult>(
          PAGE,
          { representations: [representation], after },
        );
        expect(result.errors).toBeUndefined();
        const page = result.data!._entities[0]![field]!;
        total = page.totalCount;
        seen.push(...(page.nodes as unknown as Record<string, string>[]));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen.map((s) => s['id'])).size).toBe(total);
      const keys = seen.map((s) => s[sortField]!);
      expect(keys).toEqual([...keys].sort().reverse());
      return total;
    };
    expect(await walk({ __typename: 'Region', code: 'MX' }, 'homicides', 'periodEnd')).toBeGreaterThan(20);
    expect(await walk({ __typename: 'JointObjective', id: '1.2.1' }, 'programmes', 'startedOn')).toBe(
      await subgraph.prisma.programme.count({ where: { objectiveId: '1.2.1', ...releasedTo() } }),
    );
    expect(await walk({ __typename: 'Region', code: 'US' }, 'programmes', 'startedOn')).toBe(
      await subgraph.prisma.programme.count({ where: { countryCode: 'US', ...releasedTo() } }),
    );

    const garbage = await subgraph.execute(
      `#graphql
      { homicideStatistics(first: 5, after: "not-a-cursor") { totalCount } }`,
    );
    expect(codes(garbage.errors)).toEqual([['BAD_USER_INPUT', 'after']]);
    const tooMany = await subgraph.execute(`#graphql
      { programmes(first: 500) { totalCount } }`);
    expect(codes(tooMany.errors)).toEqual([['BAD_USER_INPUT', 'first']]);
  });

  describe('the shared list filters', () => {
    const FIXTURE_NOTE = 'Shared list filter fixture';
    const FIXTURE_PROGRAMMES = ['FILTER-PG-2023-10-15', 'FILTER-PG-2024-10-15'];
    const { total, refusal, yearsGained } = listFilterProbe(() => subgraph);
    /** A statistic is in a period when its whole span is. */
    const within = (from: string, to: string) => ({ periodStart: { gte: on(from) }, periodEnd: { lte: on(to) } });

    const countHomicides = (where: Prisma.HomicideStatisticWhereInput) =>
      subgraph.prisma.homicideStatistic.count({ where: { AND: [where, releasedTo()] } });
    const countProgrammes = (where: Prisma.ProgrammeWhereInput) =>
      subgraph.prisma.programme.count({ where: { AND: [where, releasedTo()] } });

    /**
     * Copies of seeded rows on `day` (a statistic: over the month of `day`), provisional; the first
     * from an official source, the second from the synthetic one, so that the status and source
     * filters have rows to tell apart.
     */
    const insertHomicide = async (day: string, n: number) => {
      // The years are columns the database generates: a copy must leave them out.
      const {
        id: _id,
        calendarYear: _calendarYear,
        fiscalYear: _fiscalYear,
        ...seeded
      } = await subgraph.prisma.homicideStatistic.findFirstOrThrow({
        where: { regionCode: 'MX-GUA', releasableTo: 'BOTH' },
        orderBy: { period: 'asc' },
      });
      const month = day.slice(0, 7);
      const start = on(`${month}-01`);
      const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
      await subgraph.prisma.homicideStatistic.create({
        data: {
          ...seeded,
          period: month,
          periodKind: 'MONTH',
          periodStart: start,
          periodEnd: end,
          regionCode: 'MX-SON',
          status: 'PROVISIONAL',
          ...(n === 1 ? { sourceId: SYNTHETIC_SOURCE_ID } : {}),
          note: FIXTURE_NOTE,
        },
      });
    };
    const insertProgramme = async (day: string, n: number) => {
      const {
        id: _id,
        calendarYear: _calendarYear,
        fiscalYear: _fiscalYear,
        ...seeded
      } = await subgraph.prisma.programme.findFirstOrThrow({
        where: { regionCode: { not: null }, releasableTo: 'BOTH' },
        orderBy: { recordId: 'asc' },
      });
      await subgraph.prisma.programme.create({
        data: {
          ...seeded,
          recordId: FIXTURE_PROGRAMMES[n]!,
          startedOn: on(day),
          endedOn: null,
          status: 'PROVISIONAL',
          sourceId: n === 1 ? SYNTHETIC_SOURCE_ID : 'ondcp-hlsd-2023-10-05',
        },
      });
    };
    const removeFixtures = async () => {
      await subgraph.prisma.homicideStatistic.deleteMany({ where: { note: FIXTURE_NOTE } });
      await subgraph.prisma.programme.deleteMany({ where: { recordId: { in: FIXTURE_PROGRAMMES } } });
    };
    const insertFixtures = async () => {
      await removeFixtures();
      for (const [n, day] of ['2023-10-15', '2024-10-15'].entries()) {
        await insertHomicide(day, n);
        await insertProgramme(day, n);
      }
    };
    afterAll(removeFixtures);

    it('counts a figure or programme in the U.S. fiscal or the calendar year of its day, as asked', async () => {
      await removeFixtures();
      expect(await yearsGained('homicideStatistics', insertHomicide)).toEqual(BY_YEAR_OF_DAY);
      expect(await yearsGained('programmes', insertProgramme)).toEqual(BY_YEAR_OF_DAY);
      // A calendar-year figure (Guanajuato's for 2024) lies in its calendar year and in no single
      // fiscal year, though in two together.
      const guanajuato = async (years: string) =>
        total('homicideStatistics', `region: "MX-GUA", period: { years: { ${years} } }`);
      expect([
        await guanajuato('kind: CALENDAR, from: 2024'),
        await guanajuato('kind: US_FISCAL, from: 2024'),
        await guanajuato('kind: US_FISCAL, from: 2025'),
        await guanajuato('kind: US_FISCAL, from: 2024, to: 2025'),
      ]).toEqual([1, 0, 0, 1]);
    });

    it('gives exactly the homicide figures of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countHomicides({});
      const mexico = { OR: [{ regionCode: 'MX' }, { regionCode: { startsWith: 'MX-' } }] };
      const figures: [string, Prisma.HomicideStatisticWhereInput, ('some' | 'all' | 'none')?][] = [
        ['period: { from: "2020-01-01", to: "2022-12-31" }', within('2020-01-01', '2022-12-31')],
        ['period: { from: "2023-01-01" }', { periodStart: { gte: on('2023-01-01') } }],
        ['period: { to: "2019-12-31" }', { periodEnd: { lte: on('2019-12-31') } }],
        ['period: { years: { kind: CALENDAR, from: 2023 } }', within('2023-01-01', '2023-12-31')],
        ['period: { years: { kind: US_FISCAL, from: 2024 } }', within('2023-10-01', '2024-09-30')],
        ['period: { years: { kind: US_FISCAL, from: 2019, to: 2024 } }', within('2018-10-01', '2024-09-30')],
        // Every figure is Mexico's, national or a state's.
        ['country: "MX"', mexico, 'all'],
        ['country: "US"', { regionCode: { startsWith: 'US' } }, 'none'],
        // A country is its national figures and its states'; a state, its own.
        ['region: "MX"', mexico, 'all'],
        ['region: "MX-GUA"', { regionCode: 'MX-GUA' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['status: FINAL', { status: 'FINAL' }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        [
          'country: "MX", measure: INEGI_DEATH_CERTIFICATES, status: FINAL, period: { years: { kind: CALENDAR, from: 2019, to: 2023 } }',
          { ...mexico, measure: 'INEGI_DEATH_CERTIFICATES', status: 'FINAL', ...within('2019-01-01', '2023-12-31') },
        ],
      ];
      for (const [args, where, part = 'some'] of figures) {
        const expected = await countHomicides(where);
        const found = expected === 0 ? 'none' : expected === all ? 'all' : 'some';
        expect([args, found]).toEqual([args, part]);
        expect(await total('homicideStatistics', args)).toBe(expected);
      }
    });

    it('gives exactly the programmes of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countProgrammes({});
      const { regionCode: state } = await subgraph.prisma.programme.findUniqueOrThrow({
        where: { recordId: FIXTURE_PROGRAMMES[0] },
      });
      const programmes: [string, Prisma.ProgrammeWhereInput][] = [
        ['period: { from: "2022-01-01", to: "2023-12-31" }', { startedOn: between('2022-01-01', '2023-12-31') }],
        ['period: { years: { kind: US_FISCAL, from: 2024 } }', { startedOn: between('2023-10-01', '2024-09-30') }],
        ['period: { years: { kind: CALENDAR, from: 2024 } }', { startedOn: between('2024-01-01', '2024-12-31') }],
        // Binational programmes have no country: they are in neither.
        ['country: "US"', { countryCode: 'US' }],
        ['country: "MX"', { countryCode: 'MX' }],
        ['region: "MX"', { countryCode: 'MX' }],
        [`region: "${state}"`, { regionCode: state }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        [
          'country: "US", kind: TREATMENT, sourceKind: SYNTHETIC, period: { years: { kind: US_FISCAL, from: 2020, to: 2025 } }',
          {
            countryCode: 'US',
            kind: 'TREATMENT',
            source: { kind: 'SYNTHETIC' },
            startedOn: between('2019-10-01', '2025-09-30'),
          },
        ],
      ];
      for (const [args, where] of programmes) {
        const expected = await countProgrammes(where);
        // Each filter leaves some programmes out and keeps some.
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('programmes', args)).toBe(expected);
      }
    });

    it('refuses bad codes and periods with BAD_USER_INPUT naming the argument', async () => {
      const refused: [string, string, string][] = [
        ['homicideStatistics', 'country: "CA"', 'country'],
        ['homicideStatistics', 'region: "Guanajuato"', 'region'],
        ['homicideStatistics', 'region: "MX-"', 'region'],
        ['homicideStatistics', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
        ['homicideStatistics', 'period: { to: "2024-12-31", years: { kind: CALENDAR, from: 2024 } }', 'period'],
        ['homicideStatistics', 'period: { years: { kind: US_FISCAL, from: 2200 } }', 'period'],
        ['programmes', 'country: "CA"', 'country'],
        ['programmes', 'region: "us-tx"', 'region'],
        ['programmes', 'period: { years: { kind: CALENDAR, from: 2025, to: 2024 } }', 'period'],
        ['programmes', 'objectiveId: "one"', 'objectiveId'],
      ];
      for (const [list, args, field] of refused) {
        expect([list, args, await refusal(list, args)]).toEqual([list, args, [['BAD_USER_INPUT', field]]]);
      }
    });
  });

  it('reads many regions with their records in the same number of SQL statements with 10x more records', async () => {
    const QUERY = `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Region {
            code
            homicides(first: 5) { totalCount nodes { period count provenance { source { id } } } }
            programmes(first: 5) { totalCount nodes { recordId region { code } provenance { source { id } } } }
          }
        }
      }`;
    const representations = ['MX', 'US', ...MX_STATES, ...US_STATES].map((code) => ({ __typename: 'Region', code }));
    type Result = { _entities: { programmes: { totalCount: number }; homicides: { totalCount: number } }[] };
    const total = (result: Result, field: 'programmes' | 'homicides') =>
      result._entities.reduce((sum, r) => sum + r[field].totalCount, 0);

    subgraph.statements.reset();
    const small = await subgraph.execute<Result>(QUERY, { representations });
    const before = subgraph.statements.count;
    expect(small.errors).toBeUndefined();

    const programmes = await subgraph.prisma.programme.count();
    await loadSynthetic(subgraph.prisma, { seed: 77, programmes: programmes * 10 });
    const homicides = await subgraph.prisma.homicideStatistic.count();
    // Test-only volume (kind SYNTHETIC source): monthly figures for every state, 2010 onward.
    const months = Array.from({ length: Math.ceil((homicides * 10) / MX_STATES.length) }, (_, n) => n);
    await subgraph.prisma.homicideStatistic.createMany({
      data: MX_STATES.flatMap((regionCode) =>
        months.map((n) => {
          const [year, month] = [2010 + Math.floor(n / 12), (n % 12) + 1];
          return {
            objectiveId: '1.3.1',
            period: `${year}-${String(month).padStart(2, '0')}`,
            periodKind: 'MONTH' as const,
            periodStart: new Date(Date.UTC(year, month - 1, 1)),
            periodEnd: new Date(Date.UTC(year, month, 0)),
            regionCode,
            measure: 'INEGI_DEATH_CERTIFICATES' as const,
            count: n,
            countQualifier: 'EXACT' as const,
            status: 'PROVISIONAL' as const,
            sourceId: TEST_SOURCE,
            recordedBy: 'test',
          };
        }),
      ),
    });

    subgraph.statements.reset();
    const large = await subgraph.execute<Result>(QUERY, { representations });
    expect(large.errors).toBeUndefined();
    expect(total(large.data!, 'programmes')).toBeGreaterThan(total(small.data!, 'programmes') * 9);
    expect(total(large.data!, 'homicides')).toBeGreaterThan(total(small.data!, 'homicides') * 9);
    expect(subgraph.statements.count).toBe(before);
    expect(before).toBeLessThanOrEqual(9);
  });
});

recordsSuite({
  name: 'public-health',
  module: publicHealth,
  domain: 'PublicHealth',
  records: [homicideStatistics, programmes],
});
