import {
  recordsSuite,
  releasedTo,
  startTestSubgraph,
  TEST_RECORDED_BY,
  type TestSubgraph,
  listFilterProbe,
  on,
  between,
  BY_YEAR_OF_DAY,
} from '@bicentennial/testing';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { readOrganizations, readRecords, SYNTHETIC_SAMPLE } from '../seed';
import * as finance from '../server';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from '../synthetic';
import { assetSeizures, designation, designations, seizure } from './cases';

type Errors = readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);

const FTO_EIGHT = [
  'TREN_DE_ARAGUA',
  'MS_13',
  'SINALOA',
  'CJNG',
  'CARTEL_DEL_NORESTE',
  'LA_NUEVA_FAMILIA_MICHOACANA',
  'CARTEL_DEL_GOLFO',
  'CARTELES_UNIDOS',
];

type Row = [
  recordId: string,
  dateAsPublished: string,
  datePrecision: 'DAY' | 'MONTH',
  authorities: string[],
  targetKind: string,
  individuals: number | null,
  entities: number | null,
  countryCount: number | null,
  namedTargets: string[],
  organization: string | null,
  objective: string,
];

/** Every action of shared/reference/public-figures.md section 5, written out by hand from the reference. */
const REFERENCE_DESIGNATIONS: Row[] = [
  ['TREASURY-2015-04-CJNG', '2015-04', 'MONTH', ['KINGPIN_ACT'], 'ENTITY', null, null, null, [], 'CJNG', '3.1.1'],
  ['TREASURY-2021-12-CJNG', '2021-12', 'MONTH', [], 'ENTITY', null, null, null, [], 'CJNG', '3.1.1'],
  ['OFAC-2021-12-15-EO14059', '2021-12-15', 'DAY', ['EO_14059'], 'MIXED', 10, 15, 4, [], null, '3.1.1'],
  [
    'OFAC-2022-02-17',
    '2022-02-17',
    'DAY',
    [],
    'INDIVIDUAL',
    null,
    null,
    null,
    ['Sergio Armando Orozco Rodríguez'],
    'CJNG',
    '3.1.1',
  ],
  ['OFAC-2022-06-02', '2022-06-02', 'DAY', [], 'INDIVIDUAL', 6, null, null, [], 'CJNG', '3.1.1'],
  ['OFAC-2023-05-09', '2023-05-09', 'DAY', [], 'MIXED', 4, 2, null, ['Joaquín Guzmán López'], 'LOS_CHAPITOS', '3.1.1'],
  ['OFAC-2023-06-06', '2023-06-06', 'DAY', [], 'MIXED', 3, 1, null, [], 'CJNG', '3.1.1'],
  ['OFAC-2023-09-26', '2023-09-26', 'DAY', [], 'INDIVIDUAL', 10, null, null, [], 'LOS_CHAPITOS', '3.1.1'],
  ['OFAC-2024-09-CJNG-FUEL-THEFT', '2024-09', 'MONTH', [], 'MIXED', 9, 26, null, [], 'CJNG', '3.1.1'],
  [
    'OFAC-2025-05-01',
    '2025-05-01',
    'DAY',
    ['EO_14059', 'EO_13224'],
    'MIXED',
    3,
    2,
    null,
    ['Morfín Morfín brothers'],
    'CJNG',
    '3.1.1',
  ],
  ['OFAC-2025-06-CJNG-LEADERS', '2025-06', 'MONTH', [], 'INDIVIDUAL', null, null, null, ['El Mencho'], 'CJNG', '3.1.1'],
  ...FTO_EIGHT.map((slug): Row => [
    `STATE-FTO-2025-02-20-${slug}`,
    '2025-02-20',
    'DAY',
    ['EO_13224', 'FTO_INA_219', 'EO_14157'],
    'ENTITY',
    0,
    1,
    null,
    [],
    slug,
    '3.1.4',
  ]),
];

const DESIGNATION_FIELDS = `
  id recordId designatedOn datePrecision dateAsPublished designatedBy authorities targetKind individuals entities
  countryCount namedTargets note organization { slug } objective { id }
  provenance { source { id kind publishedOn } status releasableTo recordedBy recordedAt }
`;

interface DesignationResult {
  id: string;
  recordId: string;
  designatedOn: string;
  datePrecision: 'DAY' | 'MONTH';
  dateAsPublished: string;
  designatedBy: string;
  authorities: string[];
  targetKind: string;
  individuals: number | null;
  entities: number | null;
  countryCount: number | null;
  namedTargets: string[];
  note: string | null;
  organization: { slug: string } | null;
  objective: { id: string };
  provenance: {
    source: { id: string; kind: string; publishedOn: string | null };
    status: string;
    releasableTo: string;
    recordedBy: string;
    recordedAt: string;
  };
}

const asRow = (d: DesignationResult): Row => [
  d.recordId,
  d.dateAsPublished,
  d.datePrecision,
  d.authorities,
  d.targetKind,
  d.individuals,
  d.entities,
  d.countryCount,
  d.namedTargets,
  d.organization?.slug ?? null,
  d.objective.id,
];

const RECORD_DESIGNATION = `#graphql
  mutation Record($input: SanctionsDesignationInput!, $submission: SubmissionInput!) {
    recordSanctionsDesignation(input: $input, submission: $submission) { ${DESIGNATION_FIELDS} }
  }
`;

const RECORD_SEIZURE = `#graphql
  mutation Record($input: AssetSeizureInput!, $submission: SubmissionInput!) {
    recordAssetSeizure(input: $input, submission: $submission) {
      id recordId seizedOn country { code } seizingAuthority organization { slug name } assetType amountUsd cyberEnabled
      objective { id } provenance { source { id kind } status releasableTo recordedBy recordedAt }
    }
  }
`;

const IMPORT_DESIGNATIONS = `#graphql
  mutation Import($rows: [SanctionsDesignationInput!]!, $dryRun: Boolean) {
    importSanctionsDesignations(rows: $rows, submittedBy: "ofac-import", dryRun: $dryRun) {
      received inserted alreadyPresent dryRun errors { row field code message }
    }
  }
`;

let keyCounter = 0;
const submission = (key?: string) => ({
  idempotencyKey: key ?? `test-key-${++keyCounter}-${Date.now()}`,
  submittedBy: 'analyst.lopez@treasury',
});

describe('finance records', () => {
  let subgraph: TestSubgraph<PrismaClient>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(finance);
  });
  afterAll(() => subgraph.close());

  it('holds the organizations of organizations.json, with their factions and predecessors', async () => {
    const { data, errors } = await subgraph.execute<{
      criminalOrganizations: { slug: string }[];
      cjng: Record<string, unknown>;
      chapitos: Record<string, unknown>;
      noreste: Record<string, unknown>;
      zetas: Record<string, unknown>;
      unknown: null;
      factions: { slug: string }[];
    }>(`#graphql
      { criminalOrganizations { slug }
        cjng: criminalOrganization(slug: "CJNG") { slug name spanishName aliases kind parent { slug }
                                                   factions { slug } provenance { source { id kind } releasableTo recordedBy } }
        chapitos: criminalOrganization(slug: "LOS_CHAPITOS") { kind parent { slug name } }
        noreste: criminalOrganization(slug: "CARTEL_DEL_NORESTE") { spanishName predecessor { slug } }
        zetas: criminalOrganization(slug: "LOS_ZETAS") { successors { slug } predecessor { slug } }
        unknown: criminalOrganization(slug: "NO_SUCH_CARTEL") { slug }
        factions: criminalOrganizations(kind: FACTION) { slug } }`);
    expect(errors).toBeUndefined();
    const slugs = data!.criminalOrganizations.map((o) => o.slug);
    expect(slugs).toEqual(
      readOrganizations()
        .organizations.map((o) => o.slug)
        .sort(),
    );
    expect(slugs).toEqual(expect.arrayContaining([...FTO_EIGHT, 'LOS_CHAPITOS', 'LOS_CUINIS', 'LOS_ZETAS']));
    expect(slugs).toHaveLength(11);
    expect(data!.cjng).toEqual({
      slug: 'CJNG',
      name: 'Jalisco New Generation Cartel',
      spanishName: 'Cártel de Jalisco Nueva Generación',
      aliases: ['CJNG'],
      kind: 'CARTEL',
      parent: null,
      factions: [{ slug: 'LOS_CUINIS' }],
      provenance: {
        source: { id: 'state-fto-designations-2025-02-20', kind: 'OFFICIAL' },
        releasableTo: 'BOTH',
        recordedBy: 'seed',
      },
    });
    expect(data!.chapitos).toEqual({ kind: 'FACTION', parent: { slug: 'SINALOA', name: 'Sinaloa Cartel' } });
    expect(data!.noreste).toEqual({ spanishName: 'Cártel del Noreste', predecessor: { slug: 'LOS_ZETAS' } });
    expect(data!.zetas).toEqual({ successors: [{ slug: 'CARTEL_DEL_NORESTE' }], predecessor: null });
    expect(data!.unknown).toBeNull();
    expect(data!.factions).toEqual([{ slug: 'LOS_CHAPITOS' }]);

    for (const slug of ['cjng', 'CJNG-', 'LOS CHAPITOS', '']) {
      const bad = await subgraph.execute(
        `#graphql\n query ($slug: ID!) { criminalOrganization(slug: $slug) { slug } }`,
        {
          slug,
        },
      );
      expect(codes(bad.errors)).toEqual([['BAD_USER_INPUT', 'slug']]);
    }
  });

  it('gives every designation action of the reference exactly: dates, authorities, counts and names', async () => {
    const { data, errors } = await subgraph.execute<{
      sanctionsDesignations: { totalCount: number; nodes: DesignationResult[] };
    }>(`#graphql
      { sanctionsDesignations(first: 100) { totalCount nodes { ${DESIGNATION_FIELDS} } } }`);
    expect(errors).toBeUndefined();
    const nodes = data!.sanctionsDesignations.nodes;
    expect(data!.sanctionsDesignations.totalCount).toBe(REFERENCE_DESIGNATIONS.length);
    expect(nodes).toHaveLength(readRecords().designations.length);
    const byId = (a: Row, b: Row) => a[0].localeCompare(b[0]);
    expect(nodes.map(asRow).sort(byId)).toEqual([...REFERENCE_DESIGNATIONS].sort(byId));

    const dates = nodes.map((n) => n.designatedOn);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(nodes.every((n) => n.provenance.source.kind === 'OFFICIAL' && n.provenance.recordedBy === 'seed')).toBe(
      true,
    );
    expect(nodes.every((n) => n.provenance.status === 'FINAL' && n.provenance.releasableTo === 'BOTH')).toBe(true);

    const find = (recordId: string) => nodes.find((n) => n.recordId === recordId)!;
    expect(find('OFAC-2024-09-CJNG-FUEL-THEFT')).toMatchObject({ designatedOn: '2024-09-01', datePrecision: 'MONTH' });
    expect(find('OFAC-2021-12-15-EO14059').provenance.source).toEqual({
      id: 'treasury-press-release-jy0535',
      kind: 'OFFICIAL',
      publishedOn: '2021-12-15',
    });
    expect(find('OFAC-2022-02-17').note).toMatch(/Puerto Vallarta/);
    expect(find('OFAC-2022-06-02').note).toMatch(/four of them family of Rubén Oseguera Cervantes/);
    expect(find('OFAC-2023-06-06').note).toMatch(/more than \$6 million from 2020 to 2022/);
    expect(find('OFAC-2023-09-26').note).toMatch(/nine of them Mexico-based/);
    expect(find('OFAC-2025-06-CJNG-LEADERS').note).toMatch(/counterterrorism authorities/);
    expect(find('STATE-FTO-2025-02-20-CJNG')).toMatchObject({
      designatedBy: 'U.S. Department of State',
      note: expect.stringMatching(/signed 2025-02-06/),
    });
  });

  it('agrees with the indicator values: 25 first EO 14059 designations, 8 organizations designated FTO', async () => {
    const { data } = await subgraph.execute<{
      fto: { totalCount: number; nodes: { organization: { slug: string }; designatedOn: string }[] };
      eo: { nodes: { recordId: string; individuals: number; entities: number }[] };
      _entities: { latest: { value: number } }[];
    }>(`#graphql
      { fto: sanctionsDesignations(authority: FTO_INA_219, first: 20) { totalCount nodes { organization { slug } designatedOn } }
        eo: sanctionsDesignations(authority: EO_14059, from: "2021-12-15", to: "2021-12-15") { nodes { recordId individuals entities } }
        _entities(representations: [{ __typename: "FinanceIndicator", id: "3.1.1/ofac-eo14059-designations" },
                                    { __typename: "FinanceIndicator", id: "3.1.4/fto-designated-criminal-organizations" }]) {
          ... on FinanceIndicator { latest { value } } } }`);
    const [eoIndicator, ftoIndicator] = data!._entities;
    expect(data!.fto.totalCount).toBe(ftoIndicator!.latest.value);
    expect(data!.fto.nodes.map((n) => n.organization.slug).sort()).toEqual([...FTO_EIGHT].sort());
    expect(new Set(data!.fto.nodes.map((n) => n.designatedOn))).toEqual(new Set(['2025-02-20']));
    expect(data!.eo.nodes).toEqual([{ recordId: 'OFAC-2021-12-15-EO14059', individuals: 10, entities: 15 }]);
    expect(data!.eo.nodes[0]!.individuals + data!.eo.nodes[0]!.entities).toBe(eoIndicator!.latest.value);
  });

  it('gives every FinCEN publication of the reference exactly', async () => {
    const { data, errors } = await subgraph.execute<{
      financialAdvisories: {
        id: string;
        number: string | null;
        kind: string;
        title: string;
        issuedOn: string;
        sarKeyTerm: string | null;
        newRedFlagCount: number | null;
        namedInstitutions: Record<string, unknown>[];
        effectiveDatesNote: string | null;
        objective: { id: string };
        provenance: { source: { kind: string } };
      }[];
      orders: { id: string }[];
    }>(`#graphql
      { financialAdvisories { id number kind title issuedOn sarKeyTerm newRedFlagCount effectiveDatesNote objective { id }
                              namedInstitutions { name country assetsUsd assetsQualifier assetsMeasure sarKeyTerm }
                              provenance { source { kind } } }
        orders: financialAdvisories(kind: ORDER) { id } }`);
    expect(errors).toBeUndefined();
    const advisories = data!.financialAdvisories;
    expect(advisories.map((a) => [a.id, a.number, a.kind, a.issuedOn, a.sarKeyTerm, a.newRedFlagCount])).toEqual([
      ['FIN-2019-A006', 'FIN-2019-A006', 'ADVISORY', '2019-08-21', null, null],
      ['FINCEN-AML-CFT-PRIORITIES-2021-06-30', null, 'NATIONAL_PRIORITIES', '2021-06-30', null, null],
      ['FIN-2024-A002', 'FIN-2024-A002', 'SUPPLEMENTAL_ADVISORY', '2024-06-20', 'FENTANYL FIN-2024-A002', 14],
      ['FINCEN-FTA-2025-04-09', null, 'TREND_ANALYSIS', '2025-04-09', null, null],
      ['FINCEN-2313A-ORDERS-2025-06-25', null, 'ORDER', '2025-06-25', null, null],
    ]);
    expect(advisories).toHaveLength(readRecords().advisories.length);
    const byId = Object.fromEntries(advisories.map((a) => [a.id, a]));
    expect(byId['FIN-2019-A006']!.title).toBe(
      'Advisory to Financial Institutions on Illicit Financial Schemes and Methods Related to the Trafficking of Fentanyl and Other Synthetic Opioids',
    );
    expect(byId['FIN-2024-A002']!.title).toBe(
      'Supplemental Advisory on the Procurement of Precursor Chemicals and Manufacturing Equipment Used for the Synthesis of Illicit Fentanyl and Other Synthetic Opioids',
    );
    const orders = byId['FINCEN-2313A-ORDERS-2025-06-25']!;
    expect(orders.namedInstitutions).toEqual([
      {
        name: 'CIBanco',
        country: 'MX',
        assetsUsd: 7_000_000_000,
        assetsQualifier: 'AT_LEAST',
        assetsMeasure: 'TOTAL_ASSETS',
        sarKeyTerm: 'CIBanco2313a FIN-2025',
      },
      {
        name: 'Intercam Banco',
        country: 'MX',
        assetsUsd: 4_000_000_000,
        assetsQualifier: 'AT_LEAST',
        assetsMeasure: 'TOTAL_ASSETS',
        sarKeyTerm: null,
      },
      {
        name: 'Vector Casa de Bolsa',
        country: 'MX',
        assetsUsd: 11_000_000_000,
        assetsQualifier: 'APPROXIMATE',
        assetsMeasure: 'ASSETS_UNDER_MANAGEMENT',
        sarKeyTerm: null,
      },
    ]);
    expect(orders.effectiveDatesNote).toMatch(/2025-09-04.*2025-10-20/);
    expect(orders.objective.id).toBe('3.1.4');
    expect(advisories.filter((a) => a.id !== orders.id).every((a) => a.objective.id === '3.1.3')).toBe(true);
    expect(advisories.every((a) => a.provenance.source.kind === 'OFFICIAL')).toBe(true);
    expect(advisories.every((a) => a.namedInstitutions.length === 0 || a.id === orders.id)).toBe(true);
    expect(data!.orders).toEqual([{ id: 'FINCEN-2313A-ORDERS-2025-06-25' }]);

    const none = await subgraph.execute<{ financialAdvisory: null }>(
      '#graphql\n { financialAdvisory(id: "FIN-1999-A001") { id } }',
    );
    expect(none.data!.financialAdvisory).toBeNull();
  });

  it("gives FinCEN's 2024 fentanyl suspicious-activity figures, under 3.1.3 and 3.3.1", async () => {
    const { data, errors } = await subgraph.execute<{
      suspiciousActivityStatistics: Record<string, unknown>[];
      _entities: { id: string; suspiciousActivity: { id: string }[] }[];
    }>(`#graphql
      { suspiciousActivityStatistics(subject: FENTANYL) {
          id period periodKind periodStart periodEnd subject sarCount sarCountQualifier suspiciousAmountUsd
          suspiciousAmountQualifier paymentMethodShares { method percent qualifier } objectives { id }
          publishedIn { id kind issuedOn } provenance { source { id kind } } }
        _entities(representations: [{ __typename: "JointObjective", id: "3.1.3" }, { __typename: "JointObjective", id: "3.3.1" },
                                    { __typename: "JointObjective", id: "3.1.1" }]) {
          ... on JointObjective { id suspiciousActivity { id } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.suspiciousActivityStatistics).toEqual([
      {
        id: 'fincen-fta-2024-fentanyl',
        period: '2024',
        periodKind: 'CALENDAR_YEAR',
        periodStart: '2024-01-01',
        periodEnd: '2024-12-31',
        subject: 'FENTANYL',
        sarCount: 1200,
        sarCountQualifier: 'AT_LEAST',
        suspiciousAmountUsd: 1_400_000_000,
        suspiciousAmountQualifier: 'APPROXIMATE',
        paymentMethodShares: [
          { method: 'CASH', percent: 54, qualifier: 'EXACT' },
          { method: 'PEER_TO_PEER', percent: 51, qualifier: 'EXACT' },
        ],
        objectives: [{ id: '3.1.3' }, { id: '3.3.1' }],
        publishedIn: { id: 'FINCEN-FTA-2025-04-09', kind: 'TREND_ANALYSIS', issuedOn: '2025-04-09' },
        provenance: { source: { id: 'fincen-financial-trend-analysis-2025-04-09', kind: 'OFFICIAL' } },
      },
    ]);
    expect(data!._entities).toEqual([
      { id: '3.1.3', suspiciousActivity: [{ id: 'fincen-fta-2024-fentanyl' }] },
      { id: '3.3.1', suspiciousActivity: [{ id: 'fincen-fta-2024-fentanyl' }] },
      { id: '3.1.1', suspiciousActivity: [] },
    ]);
  });

  it('labels the synthetic asset seizures SYNTHETIC, with objectives that follow cyberEnabled', async () => {
    const { data } = await subgraph.execute<{
      assetSeizures: {
        totalCount: number;
        nodes: {
          recordId: string;
          assetType: string;
          cyberEnabled: boolean;
          amountUsd: number;
          objective: { id: string };
          country: { code: string };
          provenance: { source: { id: string; kind: string }; recordedBy: string };
        }[];
      };
    }>(`#graphql
      { assetSeizures(first: 100) { totalCount nodes { recordId assetType cyberEnabled amountUsd objective { id } country { code }
                                                        provenance { source { id kind } recordedBy } } } }`);
    const { totalCount, nodes } = data!.assetSeizures;
    // The test caller is a U.S. caller: the sample's seizures released to Mexico only are not counted.
    expect(await subgraph.prisma.assetSeizure.count()).toBe(SYNTHETIC_SAMPLE.assetSeizures);
    const released = await subgraph.prisma.assetSeizure.count({ where: releasedTo() });
    expect(released).toBeLessThan(SYNTHETIC_SAMPLE.assetSeizures);
    expect(totalCount).toBe(released);
    expect(nodes).toHaveLength(100);
    for (const node of nodes) {
      expect(node.provenance).toEqual({
        source: { id: SYNTHETIC_SOURCE_ID, kind: 'SYNTHETIC' },
        recordedBy: 'synthetic',
      });
      expect(node.recordId).toMatch(/^SYN-AS-1-\d+$/);
      expect(node.objective.id).toBe(node.cyberEnabled ? '3.3.1' : '3.1.4');
      expect(['US', 'MX']).toContain(node.country.code);
      expect(node.amountUsd).toBeGreaterThan(0);
      if (node.assetType === 'CRYPTOCURRENCY') expect(node.cyberEnabled).toBe(true);
    }
    expect(await subgraph.prisma.sanctionsDesignation.count({ where: { sourceId: SYNTHETIC_SOURCE_ID } })).toBe(0);
  });

  it('records a designation and an asset seizure with who, when and where from', async () => {
    const before = Date.now();
    const { data, errors } = await subgraph.execute<{ recordSanctionsDesignation: DesignationResult }>(
      RECORD_DESIGNATION,
      {
        input: designation('OFAC-TEST-0001', {
          designatedOn: '2025-03-01',
          datePrecision: 'MONTH',
          authorities: ['EO_13224', 'EO_14059'],
          namedTargets: ['A Person Named In The Release'],
        }),
        submission: submission(),
      },
    );
    expect(errors).toBeUndefined();
    const recorded = data!.recordSanctionsDesignation;
    expect(asRow(recorded)).toEqual([
      'OFAC-TEST-0001',
      '2025-03',
      'MONTH',
      ['EO_14059', 'EO_13224'],
      'MIXED',
      2,
      1,
      null,
      ['A Person Named In The Release'],
      'CJNG',
      '3.1.1',
    ]);
    expect(recorded.provenance).toMatchObject({
      source: { id: 'ofac-action-2025-05-01', kind: 'OFFICIAL' },
      status: 'FINAL',
      releasableTo: 'BOTH',
      recordedBy: TEST_RECORDED_BY,
    });
    expect(new Date(recorded.provenance.recordedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const seized = await subgraph.execute<{ recordAssetSeizure: Record<string, unknown> }>(RECORD_SEIZURE, {
      input: seizure('HSI-AS-2025-0001', { assetType: 'CRYPTOCURRENCY', cyberEnabled: true, releasableTo: 'US' }),
      submission: submission(),
    });
    expect(seized.errors).toBeUndefined();
    expect(seized.data!.recordAssetSeizure).toMatchObject({
      recordId: 'HSI-AS-2025-0001',
      seizedOn: '2025-03-14',
      country: { code: 'US' },
      organization: { slug: 'SINALOA', name: 'Sinaloa Cartel' },
      assetType: 'CRYPTOCURRENCY',
      amountUsd: 250_000.5,
      cyberEnabled: true,
      objective: { id: '3.3.1' },
      provenance: { releasableTo: 'US', recordedBy: TEST_RECORDED_BY },
    });
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const designations = await subgraph.prisma.sanctionsDesignation.count();
    const seizures = await subgraph.prisma.assetSeizure.count();
    const designationCases: [Record<string, unknown>, string, RegExp][] = [
      [{ organization: 'NO_SUCH_CARTEL' }, 'input.organization', /criminal organization NO_SUCH_CARTEL does not exist/],
      [{ organization: 'cjng' }, 'input.organization', /organization slug/],
      [{ designatedOn: '2024-09-15', datePrecision: 'MONTH' }, 'input.designatedOn', /first day of the month/],
      [{ designatedOn: '2099-01-01' }, 'input.designatedOn', /future/],
      [{ authorities: ['EO_14059', 'EO_14059'] }, 'input.authorities', /lists EO_14059 twice/],
      [{ targetKind: 'INDIVIDUAL', entities: 3 }, 'input.entities', /INDIVIDUAL/],
      [{ targetKind: 'ENTITY', individuals: 2 }, 'input.individuals', /ENTITY/],
      [{ individuals: 0 }, 'input.individuals', /more than 0 when targetKind is MIXED/],
      [{ individuals: -1 }, 'input.individuals', /0 or more/],
      [{ authorities: ['FTO_INA_219'], organization: null }, 'input.organization', /Foreign Terrorist Organization/],
      [{ designatedBy: '  ' }, 'input.designatedBy', /empty/],
      [{ sourceId: 'nobody-published-this' }, 'input.sourceId', /source nobody-published-this does not exist/],
    ];
    for (const [overrides, field, message] of designationCases) {
      const { errors } = await subgraph.execute(RECORD_DESIGNATION, {
        input: designation(`OFAC-BAD-${field}`, overrides),
        submission: submission(),
      });
      expect([field, codes(errors), errors?.[0]?.message]).toEqual([
        field,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const seizureCases: [Record<string, unknown>, string, RegExp][] = [
      [{ organization: 'LOS_NADIE' }, 'input.organization', /criminal organization LOS_NADIE does not exist/],
      [{ amountUsd: 0 }, 'input.amountUsd', /more than 0/],
      [{ country: 'CA' }, 'input.country', /US or MX/],
      [{ assetType: 'CRYPTOCURRENCY', cyberEnabled: false }, 'input.cyberEnabled', /CRYPTOCURRENCY/],
      [{ seizingAuthority: '' }, 'input.seizingAuthority', /empty/],
      [{ seizedOn: '1999-12-31' }, 'input.seizedOn', /2000/],
    ];
    for (const [overrides, field, message] of seizureCases) {
      const { errors } = await subgraph.execute(RECORD_SEIZURE, {
        input: seizure(`HSI-BAD-${field}`, overrides),
        submission: submission(),
      });
      expect([field, codes(errors), errors?.[0]?.message]).toEqual([
        field,
        [['BAD_USER_INPUT', field]],
        expect.stringMatching(message),
      ]);
    }
    const badKey = await subgraph.execute(RECORD_SEIZURE, {
      input: seizure('HSI-OK-1'),
      submission: { idempotencyKey: 'short', submittedBy: 'x' },
    });
    expect(codes(badKey.errors)).toEqual([['BAD_USER_INPUT', 'submission.idempotencyKey']]);
    expect(await subgraph.prisma.sanctionsDesignation.count()).toBe(designations);
    expect(await subgraph.prisma.assetSeizure.count()).toBe(seizures);
  });

  it('imports designations all or nothing, naming an unknown organization', async () => {
    const count = await subgraph.prisma.sanctionsDesignation.count();
    const bad = await subgraph.execute<{
      importSanctionsDesignations: { errors: { row: number; field: string; code: string; message: string }[] };
    }>(IMPORT_DESIGNATIONS, {
      rows: [designation('OFAC-IMP-1'), designation('OFAC-IMP-2', { organization: 'LA_LINEA_X' })],
    });
    expect(bad.data!.importSanctionsDesignations.errors).toEqual([
      {
        row: 1,
        field: 'organization',
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(/LA_LINEA_X does not exist/),
      },
    ]);
    expect(await subgraph.prisma.sanctionsDesignation.count()).toBe(count);

    const rows = [
      designation('OFAC-IMP-1'),
      designation('OFAC-IMP-2', { organization: 'LOS_CHAPITOS', targetKind: 'INDIVIDUAL', entities: null }),
      designation('OFAC-IMP-3', { authorities: ['FTO_INA_219', 'EO_13224'], organization: 'LOS_CUINIS' }),
    ];
    const first = await subgraph.execute<{ importSanctionsDesignations: { inserted: number } }>(IMPORT_DESIGNATIONS, {
      rows,
    });
    expect(first.data!.importSanctionsDesignations.inserted).toBe(3);
    const rerun = await subgraph.execute<{ importSanctionsDesignations: { inserted: number; alreadyPresent: number } }>(
      IMPORT_DESIGNATIONS,
      { rows },
    );
    expect(rerun.data!.importSanctionsDesignations).toMatchObject({ inserted: 0, alreadyPresent: 3 });
    const stored = await subgraph.prisma.sanctionsDesignation.findUniqueOrThrow({ where: { recordId: 'OFAC-IMP-3' } });
    expect([stored.objectiveId, stored.authorities]).toEqual(['3.1.4', ['EO_13224', 'FTO_INA_219']]);
  });

  it("pages through an organization's seizures and designations newest first without gaps or repeats", async () => {
    const PAGE = `#graphql
      query Page($after: String) {
        criminalOrganization(slug: "SINALOA") {
          assetSeizures(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id seizedOn } }
        }
      }`;
    type PageResult = {
      criminalOrganization: {
        assetSeizures: {
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
      const page = result.data!.criminalOrganization.assetSeizures;
      total = page.totalCount;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(20);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    const dates = seen.map((s) => s.seizedOn);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(total).toBe(
      await subgraph.prisma.assetSeizure.count({ where: { organizationSlug: 'SINALOA', ...releasedTo() } }),
    );

    // The eight FTO designations of 2025-02-20 share one day (the ninth was imported above): the
    // cursor's id tie-break keeps pages apart.
    const DESIGNATIONS = `#graphql
      query ($after: String) { sanctionsDesignations(authority: FTO_INA_219, first: 3, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { recordId } } }`;
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: {
        data?: {
          sanctionsDesignations: {
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            nodes: { recordId: string }[];
          };
        } | null;
      } = await subgraph.execute(DESIGNATIONS, { after: cursor });
      ids.push(...page.data!.sanctionsDesignations.nodes.map((n) => n.recordId));
      if (!page.data!.sanctionsDesignations.pageInfo.hasNextPage) break;
      cursor = page.data!.sanctionsDesignations.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);

    const cjng = await subgraph.execute<{
      criminalOrganization: { designations: { totalCount: number; nodes: { dateAsPublished: string }[] } };
    }>(`#graphql
      { criminalOrganization(slug: "CJNG") { designations(first: 3) { totalCount nodes { dateAsPublished } } } }`);
    expect(cjng.data!.criminalOrganization.designations.totalCount).toBe(
      await subgraph.prisma.sanctionsDesignation.count({ where: { organizationSlug: 'CJNG', ...releasedTo() } }),
    );
    expect(cjng.data!.criminalOrganization.designations.nodes.map((n) => n.dateAsPublished)).toEqual([
      '2025-06',
      '2025-05-01',
      '2025-03-14',
    ]);

    const garbage = await subgraph.execute(PAGE, { after: 'not-a-cursor' });
    expect(codes(garbage.errors)).toEqual([['BAD_USER_INPUT', 'after']]);
    const tooMany = await subgraph.execute('#graphql\n { assetSeizures(first: 1000) { totalCount } }');
    expect(codes(tooMany.errors)).toEqual([['BAD_USER_INPUT', 'first']]);
  });

  it('resolves organizations, indicators, objectives and countries through _entities', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: (Record<string, unknown> | null)[] }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on CriminalOrganization { slug name parent { slug } designations(first: 1) { totalCount } }
          ... on FinanceIndicator { id latest { value } }
          ... on JointObjective { id sanctionsDesignations(first: 1) { totalCount } financialAdvisories { id }
                                  assetSeizures(first: 1) { totalCount } }
          ... on Region { code assetSeizures(first: 1) { totalCount } }
        }
      }`,
      {
        representations: [
          { __typename: 'CriminalOrganization', slug: 'LOS_CHAPITOS' },
          { __typename: 'CriminalOrganization', slug: 'NO_SUCH_CARTEL' },
          { __typename: 'FinanceIndicator', id: '3.1.3/fincen-fentanyl-sars' },
          { __typename: 'JointObjective', id: '3.1.1' },
          { __typename: 'JointObjective', id: '3.1.3' },
          { __typename: 'JointObjective', id: '3.3.1' },
          { __typename: 'JointObjective', id: '2.2.1' },
          { __typename: 'Region', code: 'MX' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    const [chapitos, unknown, sars, sanctions, sharing, cyber, firearms, mexico] = data!._entities;
    expect(chapitos).toEqual({
      slug: 'LOS_CHAPITOS',
      name: 'Los Chapitos',
      parent: { slug: 'SINALOA' },
      designations: {
        totalCount: await subgraph.prisma.sanctionsDesignation.count({
          where: { organizationSlug: 'LOS_CHAPITOS', ...releasedTo() },
        }),
      },
    });
    expect(unknown).toBeNull();
    expect(sars).toEqual({ id: '3.1.3/fincen-fentanyl-sars', latest: { value: 1200 } });
    expect(sanctions).toMatchObject({
      id: '3.1.1',
      sanctionsDesignations: {
        totalCount: await subgraph.prisma.sanctionsDesignation.count({
          where: { objectiveId: '3.1.1', ...releasedTo() },
        }),
      },
    });
    expect(sharing).toMatchObject({
      id: '3.1.3',
      financialAdvisories: [
        { id: 'FIN-2019-A006' },
        { id: 'FINCEN-AML-CFT-PRIORITIES-2021-06-30' },
        { id: 'FIN-2024-A002' },
        { id: 'FINCEN-FTA-2025-04-09' },
      ],
    });
    expect(cyber).toMatchObject({
      id: '3.3.1',
      assetSeizures: {
        totalCount: await subgraph.prisma.assetSeizure.count({ where: { cyberEnabled: true, ...releasedTo() } }),
      },
    });
    expect(firearms).toEqual({
      id: '2.2.1',
      sanctionsDesignations: { totalCount: 0 },
      financialAdvisories: [],
      assetSeizures: { totalCount: 0 },
    });
    expect(mexico).toEqual({
      code: 'MX',
      assetSeizures: {
        totalCount: await subgraph.prisma.assetSeizure.count({ where: { countryCode: 'MX', ...releasedTo() } }),
      },
    });
  });

  describe('the shared list filters', () => {
    const FIXTURES = {
      designations: ['FILTER-SD-2023-10-15', 'FILTER-SD-2024-10-15'],
      seizures: ['FILTER-AS-2023-10-15', 'FILTER-AS-2024-10-15'],
    };
    const { total, refusal, yearsGained } = listFilterProbe(() => subgraph);

    const countDesignations = (where: Prisma.SanctionsDesignationWhereInput) =>
      subgraph.prisma.sanctionsDesignation.count({ where: { AND: [where, releasedTo()] } });
    const countSeizures = (where: Prisma.AssetSeizureWhereInput) =>
      subgraph.prisma.assetSeizure.count({ where: { AND: [where, releasedTo()] } });

    /**
     * Copies of seeded rows on `day`, provisional; the first from an official source, the second
     * from the synthetic one, so that the status and source filters have rows to tell apart.
     */
    const insertDesignation = async (day: string, n: number) => {
      // Without the years the database generates from the day (it refuses a value for them).
      const {
        id: _id,
        calendarYear: _calendarYear,
        fiscalYear: _fiscalYear,
        ...seeded
      } = await subgraph.prisma.sanctionsDesignation.findUniqueOrThrow({
        where: { recordId: 'OFAC-2023-06-06' },
      });
      await subgraph.prisma.sanctionsDesignation.create({
        data: {
          ...seeded,
          recordId: FIXTURES.designations[n]!,
          designatedOn: on(day),
          status: 'PROVISIONAL',
          ...(n === 1 ? { sourceId: SYNTHETIC_SOURCE_ID } : {}),
        },
      });
    };
    const insertSeizure = async (day: string, n: number) => {
      const {
        id: _id,
        calendarYear: _calendarYear,
        fiscalYear: _fiscalYear,
        ...seeded
      } = await subgraph.prisma.assetSeizure.findFirstOrThrow({
        where: { organizationSlug: 'SINALOA', releasableTo: 'BOTH' },
        orderBy: { recordId: 'asc' },
      });
      await subgraph.prisma.assetSeizure.create({
        data: {
          ...seeded,
          recordId: FIXTURES.seizures[n]!,
          seizedOn: on(day),
          status: 'PROVISIONAL',
          sourceId: n === 1 ? SYNTHETIC_SOURCE_ID : 'ofac-action-2025-05-01',
        },
      });
    };
    const removeFixtures = async () => {
      await subgraph.prisma.sanctionsDesignation.deleteMany({ where: { recordId: { in: FIXTURES.designations } } });
      await subgraph.prisma.assetSeizure.deleteMany({ where: { recordId: { in: FIXTURES.seizures } } });
    };
    const insertFixtures = async () => {
      await removeFixtures();
      for (const [n, day] of ['2023-10-15', '2024-10-15'].entries()) {
        await insertDesignation(day, n);
        await insertSeizure(day, n);
      }
    };
    afterAll(removeFixtures);

    it('counts a designation or seizure in the U.S. fiscal or the calendar year of its day, as asked', async () => {
      await removeFixtures();
      expect(await yearsGained('sanctionsDesignations', insertDesignation)).toEqual(BY_YEAR_OF_DAY);
      expect(await yearsGained('assetSeizures', insertSeizure)).toEqual(BY_YEAR_OF_DAY);
    });

    it('gives exactly the designations of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countDesignations({});
      const designations: [string, Prisma.SanctionsDesignationWhereInput][] = [
        ['period: { from: "2024-01-01", to: "2024-12-31" }', { designatedOn: between('2024-01-01', '2024-12-31') }],
        ['period: { from: "2025-01-01" }', { designatedOn: { gte: on('2025-01-01') } }],
        ['period: { years: { kind: US_FISCAL, from: 2025 } }', { designatedOn: between('2024-10-01', '2025-09-30') }],
        [
          'period: { years: { kind: CALENDAR, from: 2022, to: 2023 } }',
          { designatedOn: between('2022-01-01', '2023-12-31') },
        ],
        ['organization: "CJNG"', { organizationSlug: 'CJNG' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['status: FINAL', { status: 'FINAL' }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        [
          'authority: EO_14059, status: FINAL, period: { years: { kind: US_FISCAL, from: 2022, to: 2025 } }',
          { authorities: { has: 'EO_14059' }, status: 'FINAL', designatedOn: between('2021-10-01', '2025-09-30') },
        ],
      ];
      for (const [args, where] of designations) {
        const expected = await countDesignations(where);
        // Each filter leaves some designations out and keeps some.
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('sanctionsDesignations', args)).toBe(expected);
      }
    });

    it('gives exactly the asset seizures of the equivalent query for each shared filter', async () => {
      await insertFixtures();
      const all = await countSeizures({});
      const seizures: [string, Prisma.AssetSeizureWhereInput][] = [
        ['period: { from: "2024-01-01", to: "2024-12-31" }', { seizedOn: between('2024-01-01', '2024-12-31') }],
        ['period: { to: "2020-06-30" }', { seizedOn: { lte: on('2020-06-30') } }],
        ['period: { years: { kind: US_FISCAL, from: 2024 } }', { seizedOn: between('2023-10-01', '2024-09-30') }],
        ['period: { years: { kind: CALENDAR, from: 2024 } }', { seizedOn: between('2024-01-01', '2024-12-31') }],
        ['country: "MX"', { countryCode: 'MX' }],
        ['country: "US"', { countryCode: 'US' }],
        ['region: "MX"', { countryCode: 'MX' }],
        ['organization: "SINALOA"', { organizationSlug: 'SINALOA' }],
        ['status: PROVISIONAL', { status: 'PROVISIONAL' }],
        ['sourceKind: OFFICIAL', { source: { kind: 'OFFICIAL' } }],
        ['sourceKind: SYNTHETIC', { source: { kind: 'SYNTHETIC' } }],
        [
          'region: "US", organization: "SINALOA", cyberEnabled: false, period: { years: { kind: US_FISCAL, from: 2020, to: 2025 } }',
          {
            countryCode: 'US',
            organizationSlug: 'SINALOA',
            cyberEnabled: false,
            seizedOn: between('2019-10-01', '2025-09-30'),
          },
        ],
      ];
      for (const [args, where] of seizures) {
        const expected = await countSeizures(where);
        expect([args, expected > 0 && expected < all]).toEqual([args, true]);
        expect(await total('assetSeizures', args)).toBe(expected);
      }
    });

    it('refuses bad codes and periods with BAD_USER_INPUT naming the argument', async () => {
      const refused: [string, string, string][] = [
        ['assetSeizures', 'country: "CA"', 'country'],
        ['assetSeizures', 'country: "Mexico"', 'country'],
        ['assetSeizures', 'region: "Texas"', 'region'],
        // Asset seizures are kept by country: a state is not one of their regions.
        ['assetSeizures', 'region: "US-TX"', 'region'],
        ['assetSeizures', 'organization: "sinaloa"', 'organization'],
        ['assetSeizures', 'period: { from: "2024-02-01", to: "2024-01-01" }', 'period'],
        ['assetSeizures', 'period: { to: "2024-01-01", years: { kind: CALENDAR, from: 2024 } }', 'period'],
        ['assetSeizures', 'period: { years: { kind: US_FISCAL, from: 2101 } }', 'period'],
        ['assetSeizures', 'from: "2024-02-01", to: "2024-01-01"', 'from'],
        ['sanctionsDesignations', 'organization: "CJNG-"', 'organization'],
        ['sanctionsDesignations', 'period: { years: { kind: CALENDAR, from: 2025, to: 2024 } }', 'period'],
        ['sanctionsDesignations', 'from: "2024-02-01", to: "2024-01-01"', 'from'],
      ];
      for (const [list, args, field] of refused) {
        expect([list, args, await refusal(list, args)]).toEqual([list, args, [['BAD_USER_INPUT', field]]]);
      }
    });

    it('keeps the deprecated from and to working, as period.from and period.to', async () => {
      await insertFixtures();
      const pairs: [string, string, string][] = [
        ['assetSeizures', 'from: "2023-10-01", to: "2024-09-30"', 'period: { years: { kind: US_FISCAL, from: 2024 } }'],
        ['assetSeizures', 'from: "2024-10-15"', 'period: { from: "2024-10-15" }'],
        // With both, the later start and the earlier end hold.
        [
          'assetSeizures',
          'to: "2023-12-31", period: { years: { kind: CALENDAR, from: 2023, to: 2024 } }',
          'period: { years: { kind: CALENDAR, from: 2023 } }',
        ],
        [
          'sanctionsDesignations',
          'from: "2021-12-15", to: "2021-12-15"',
          'period: { from: "2021-12-15", to: "2021-12-15" }',
        ],
        ['sanctionsDesignations', 'to: "2023-10-15"', 'period: { to: "2023-10-15" }'],
      ];
      for (const [list, deprecated, current] of pairs) {
        const expected = await total(list, current);
        expect(expected).toBeGreaterThan(0);
        expect([deprecated, await total(list, deprecated)]).toEqual([deprecated, expected]);
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
      for (const list of ['sanctionsDesignations', 'assetSeizures']) {
        expect(deprecated(list)).toEqual([
          ['from', 'Use `period: { from }`.'],
          ['to', 'Use `period: { to }`.'],
        ]);
      }
    });
  });

  it('reads organizations with their records in the same number of SQL statements with 10x more records', async () => {
    const QUERY = `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on CriminalOrganization {
            slug parent { slug } factions { slug } provenance { source { id } }
            designations(first: 5) { totalCount nodes { recordId organization { slug } provenance { source { id } } } }
            assetSeizures(first: 5) { totalCount nodes { recordId amountUsd provenance { source { id } } } }
          }
        }
      }`;
    const representations = readOrganizations().organizations.map((o) => ({
      __typename: 'CriminalOrganization',
      slug: o.slug,
    }));
    type Result = { _entities: { designations: { totalCount: number }; assetSeizures: { totalCount: number } }[] };
    const sum = (result: Result, list: 'designations' | 'assetSeizures') =>
      result._entities.reduce((total, o) => total + o[list].totalCount, 0);

    subgraph.statements.reset();
    const small = await subgraph.execute<Result>(QUERY, { representations });
    const before = subgraph.statements.count;

    const designations = await subgraph.prisma.sanctionsDesignation.count();
    const seizures = await subgraph.prisma.assetSeizure.count();
    await loadSynthetic(subgraph.prisma, { seed: 77, assetSeizures: seizures * 10, designations: designations * 10 });
    subgraph.statements.reset();
    const { data } = await subgraph.execute<Result>(QUERY, { representations });
    expect(sum(data!, 'designations')).toBeGreaterThan(sum(small.data!, 'designations') * 9);
    expect(sum(data!, 'assetSeizures')).toBeGreaterThan(sum(small.data!, 'assetSeizures') * 5);
    expect(subgraph.statements.count).toBe(before);
    expect(before).toBeLessThanOrEqual(12);
  });
});

recordsSuite({ name: 'finance', module: finance, domain: 'Finance', records: [designations, assetSeizures] });
