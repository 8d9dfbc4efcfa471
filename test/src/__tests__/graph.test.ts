import { loadSynthetic as loadBorderTrade } from '@bicentennial/subgraph-border-trade/synthetic';
import { loadSynthetic as loadExtradition } from '@bicentennial/subgraph-extradition/synthetic';
import { loadSynthetic as loadFinance } from '@bicentennial/subgraph-finance/synthetic';
import { loadSynthetic as loadFirearms } from '@bicentennial/subgraph-firearms/synthetic';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ingest, isWritableSubgraph } from '@bicentennial/tools/ingest';
import { seedDir } from '@bicentennial/seeds';
import { ALL_SCOPES } from '@bicentennial/schema';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import {
  DASHBOARD,
  expectCompleteDashboard,
  expectPublishedFigures,
  MISSING,
  OBJECTIVE,
  post,
  SINALOA_WALK,
  type DashboardData,
  type ObjectiveData,
} from '../operations';

/**
 * The real gateway over the six real subgraphs, started once for both parts (each start migrates
 * and seeds six embedded databases): the contract operations, then an analyst's walks from one
 * agency's records to another's. Each test leaves the data as it found it, so they run in any
 * order (`--randomize`).
 */
describe('the gateway over the real subgraphs', () => {
  let graph: InProcessGraph;
  /** U.S. agency staff with every scope: sees every record released to the United States. */
  let staff: string;
  /** Mexican agency staff with every scope. */
  let mexicanStaff: string;
  /** The example files written as a Mexican agency would (rows released to MX only: SEDENA's, UIF's). */
  const MEXICAN_EXAMPLES = new Set(['firearms/firearm-seizures.csv', 'finance/asset-seizures.csv']);

  beforeAll(async () => {
    graph = await startInProcessGraph();
    staff = await graph.token({ subject: 'analyst-1', agency: 'DHS', country: 'US', scopes: [...ALL_SCOPES] });
    mexicanStaff = await graph.token({ subject: 'analista-1', agency: 'SSPC', country: 'MX', scopes: [...ALL_SCOPES] });
  }, 240_000);
  afterAll(() => graph?.stop());

  describe('the contract operations', () => {
    it('answers the Dashboard with every objective and its sourced values, fetching each owner once', async () => {
      graph.resetRequests();
      const { status, body } = await post<DashboardData>(graph.gatewayUrl, DASHBOARD);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expectCompleteDashboard(body.data);
      expectPublishedFigures(body.data!);
      expect(Object.fromEntries(graph.requests)).toEqual({
        framework: 1,
        'public-health': 1,
        'border-trade': 1,
        firearms: 1,
        finance: 1,
        extradition: 1,
      });
    });

    it('answers Objective with the latest value of each of its indicators', async () => {
      const { body } = await post<ObjectiveData>(graph.gatewayUrl, OBJECTIVE);
      expect(body.errors).toBeUndefined();
      const objective = body.data!.objective!;
      expect(objective).toMatchObject({ id: '2.2.1', area: { id: '2.2' }, goal: { id: '2' }, owner: 'FIREARMS' });
      expect(objective.title).toBe(
        'Increase efforts to reduce the illicit trafficking of firearms, ammunition, and explosive devices.',
      );
      const latest = Object.fromEntries(objective.indicators.map((i) => [i.id, i.latest]));
      expect(latest['2.2.1/us-sourced-share']).toEqual({ period: '2024', value: 70.5 });
      expect(latest['2.2.1/mx-firearms-traced']).toEqual({ period: '2024', value: 25884 });
    });

    it('answers Missing with objective: null', async () => {
      const { status, body } = await post(graph.gatewayUrl, MISSING);
      expect(status).toBe(200);
      expect(body).toEqual({ data: { objective: null } });
    });

    it("passes on a subgraph's refusal of a bad variable as BAD_USER_INPUT, not as an outage", async () => {
      const { body } = await post(
        graph.gatewayUrl,
        `#graphql
        mutation Record($input: DrugSeizureInput!) {
          recordDrugSeizure(input: $input, submission: { idempotencyKey: "bad-date-0001", submittedBy: "test" }) { id }
        }`,
        {
          input: {
            recordId: 'BAD-DATE-1',
            location: 'AT_PORT',
            portCode: '2504',
            state: 'US-CA',
            seizedOn: '2025-13-40',
            drug: 'COCAINE',
            quantity: 1,
            unit: 'POUNDS',
            mode: 'CARGO',
            sourceId: 'synthetic-border-trade',
          },
        },
        { token: staff },
      );
      expect(body.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
        ['BAD_USER_INPUT', 'border-trade'],
      ]);
      expect(body.errors?.[0]?.message).toMatch(/seizedOn/);
      expect(graph.gateway.monitor.snapshot().find((s) => s.name === 'border-trade')?.reachable).not.toBe(false);
    });

    it('answers a malformed id with BAD_USER_INPUT naming the argument, and a malformed query with its code', async () => {
      const badId = await post(graph.gatewayUrl, '#graphql\n { objective(id: "two") { id } }');
      expect(badId.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(badId.body.errors?.[0]?.message).toMatch(/"two" is not a joint objective id/);

      // application/json (no Accept): 200 for a well-formed request, as GraphQL over HTTP recommends.
      const syntax = await post(graph.gatewayUrl, '{ objective(id: "2.2.1") { id ');
      expect(syntax.status).toBe(200);
      expect(syntax.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');

      const unknownField = await post(graph.gatewayUrl, '{ objective(id: "2.2.1") { nonsense } }');
      expect(unknownField.status).toBe(200);
      expect(unknownField.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('agency records across subgraphs', () => {
    it('shows a port with its drug seizures (border-trade) and its firearm seizures (firearms)', async () => {
      const { body } = await post<{
        portOfEntry: {
          name: string;
          state: { name: string };
          counterpartState: { name: string };
          drugSeizures: {
            totalCount: number;
            nodes: { recordId: string; port: { code: string }; provenance: { source: { kind: string } } }[];
          };
          firearmSeizures: {
            totalCount: number;
            nodes: { recordId: string; port: { code: string; name: string }; state: { name: string } }[];
          };
        };
      }>(
        graph.gatewayUrl,
        `#graphql
      { portOfEntry(code: "2304") {
          name state { name } counterpartState { name }
          drugSeizures(first: 3) { totalCount nodes { recordId port { code } provenance { source { kind } } } }
          firearmSeizures(first: 3) { totalCount nodes { recordId port { code name } state { name } } } } }`,
        undefined,
        { token: staff },
      );
      expect(body.errors).toBeUndefined();
      const port = body.data!.portOfEntry;
      expect([port.name, port.state.name, port.counterpartState.name]).toEqual(['Laredo', 'Texas', 'Tamaulipas']);
      expect(port.drugSeizures.totalCount).toBeGreaterThan(0);
      expect(
        port.drugSeizures.nodes.every((n) => n.port.code === '2304' && n.provenance.source.kind === 'SYNTHETIC'),
      ).toBe(true);
      expect(port.firearmSeizures.totalCount).toBeGreaterThan(0);
      expect(port.firearmSeizures.nodes.every((n) => n.port.code === '2304' && n.port.name === 'Laredo')).toBe(true);
    });

    it('shows an organization with its sanctions (finance), extraditions (extradition) and trafficking cases (firearms)', async () => {
      const { body } = await post<{
        criminalOrganization: {
          name: string;
          designations: { nodes: { designatedOn: string; authorities: string[]; targetKind: string }[] };
          extraditions: {
            nodes: {
              person: string;
              status: string;
              surrenderedOn: string | null;
              destination: string | null;
              organization: { slug: string };
            }[];
          };
          firearmsTraffickingCases: { totalCount: number };
        };
      }>(graph.gatewayUrl, SINALOA_WALK, undefined, { token: staff });
      expect(body.errors).toBeUndefined();
      const sinaloa = body.data!.criminalOrganization;
      expect(sinaloa.designations.nodes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ designatedOn: '2025-02-20', authorities: expect.arrayContaining(['FTO_INA_219']) }),
        ]),
      );
      expect(sinaloa.extraditions.nodes).toEqual(
        expect.arrayContaining([
          {
            person: 'Ovidio Guzmán López',
            status: 'EXTRADITED',
            surrenderedOn: '2023-09-15',
            destination: expect.stringMatching(/Chicago/),
            organization: { slug: 'SINALOA' },
          },
        ]),
      );
      expect(sinaloa.firearmsTraffickingCases.totalCount).toBeGreaterThan(0);
    });

    it('shows Mexico with its homicides from both INEGI and SESNSP (public-health) and a state with its own', async () => {
      const { body } = await post<{
        mx: {
          name: string;
          homicides: { nodes: { period: string; measure: string; count: number | null; status: string }[] };
        };
        gto: { name: string; homicides: { nodes: { period: string; measure: string; count: number | null }[] } };
      }>(
        graph.gatewayUrl,
        `#graphql
      { mx: region(code: "MX") { name homicides(first: 100) { nodes { period measure count status } } }
        gto: region(code: "MX-GUA") { name homicides(first: 100) { nodes { period measure count } } } }`,
        undefined,
        { token: staff },
      );
      expect(body.errors).toBeUndefined();
      const in2019 = body.data!.mx.homicides.nodes.filter((h) => h.period === '2019').map((h) => [h.measure, h.count]);
      expect(in2019.sort()).toEqual([
        ['INEGI_DEATH_CERTIFICATES', 36661],
        ['SESNSP_VICTIMS', 34720],
      ]);
      expect(body.data!.gto.name).toBe('Guanajuato');
      expect(body.data!.gto.homicides.nodes).toEqual(
        expect.arrayContaining([expect.objectContaining({ period: '2021', count: 4333 })]),
      );
    });

    it('walks from objective 2.2.1 (framework) to its traces and seizures (firearms)', async () => {
      const { body } = await post<{
        objective: {
          title: string;
          owner: string;
          firearmTraces: {
            period: string;
            tracedCount: number | null;
            usSourcedCount: number | null;
            usSourcedShare: number | null;
            recoveryCountry: { name: string };
          }[];
          firearmSeizures: { totalCount: number };
        };
      }>(
        graph.gatewayUrl,
        `#graphql
      { objective(id: "2.2.1") { title owner
          firearmTraces { period tracedCount usSourcedCount usSourcedShare recoveryCountry { name } }
          firearmSeizures(first: 1) { totalCount } } }`,
        undefined,
        { token: staff },
      );
      expect(body.errors).toBeUndefined();
      const objective = body.data!.objective;
      expect(objective.owner).toBe('FIREARMS');
      expect(objective.firearmTraces.find((t) => t.period === '2017/2022')).toEqual({
        period: '2017/2022',
        tracedCount: 123741,
        usSourcedCount: 83560,
        usSourcedShare: 67.5,
        recoveryCountry: { name: 'Mexico' },
      });
      expect(objective.firearmSeizures.totalCount).toBeGreaterThan(0);
    });

    it('validates every example file under seeds/<subgraph>/examples against its subgraph', async () => {
      const checked: string[] = [];
      for (const name of graph.subgraphs.keys()) {
        if (!isWritableSubgraph(name)) continue;
        let files: string[] = [];
        try {
          files = readdirSync(join(seedDir(name), 'examples'));
        } catch {
          continue;
        }
        for (const file of files) {
          const problems: string[] = [];
          const report = await ingest({
            url: graph.gatewayUrl,
            // A file with rows released to Mexico only is a Mexican agency's (a writer writes what
            // its own country may read): checked as Mexican staff.
            token: MEXICAN_EXAMPLES.has(`${name}/${file}`) ? mexicanStaff : staff,
            subgraph: name,
            file: join(seedDir(name), 'examples', file),
            batchSize: 500,
            dryRun: true,
            onProblem: (message) => problems.push(message),
          });
          expect({ file: `${name}/${file}`, problems, rows: report.rows > 0 }).toEqual({
            file: `${name}/${file}`,
            problems: [],
            rows: true,
          });
          checked.push(`${name}/${report.recordType}`);
        }
      }
      // One example per record type that agencies import.
      expect(checked.sort()).toEqual(
        [
          'border-trade/border-trade-observations',
          'border-trade/drug-seizures',
          'border-trade/drug-seizures',
          'border-trade/smuggling-interdictions',
          'extradition/extradition-cases',
          'extradition/extradition-observations',
          'finance/asset-seizures',
          'finance/finance-observations',
          'finance/sanctions-designations',
          'firearms/firearm-seizures',
          'firearms/firearms-observations',
          'firearms/trafficking-cases',
          'public-health/homicide-statistics',
          'public-health/programmes',
          'public-health/public-health-observations',
        ].sort(),
      );
    });

    it('answers a query across four subgraphs in the same number of SQL statements per subgraph with 10x the records', async () => {
      const QUERY = `#graphql
      { portsOfEntry { code state { name }
          drugSeizures(first: 5) { totalCount nodes { recordId drug } }
          firearmSeizures(first: 5) { totalCount nodes { recordId organization { slug name } } } }
        criminalOrganizations { slug
          designations(first: 5) { totalCount nodes { designatedOn } }
          extraditions(first: 5) { totalCount nodes { person status } }
          firearmsTraffickingCases(first: 5) { totalCount } } }`;
      const measure = async () => {
        // The audit trail sends events in batches: earlier requests' events are stored first, and
        // this one's within the measure, so that audit's count is that of storing one event.
        await graph.gateway.audit.flush();
        for (const counter of graph.statements.values()) counter.reset();
        const { body } = await post<{ portsOfEntry: { drugSeizures: { totalCount: number } }[] }>(
          graph.gatewayUrl,
          QUERY,
          undefined,
          { token: staff },
        );
        await graph.gateway.audit.flush();
        expect(body.errors).toBeUndefined();
        const seizures = body.data!.portsOfEntry.reduce((sum, p) => sum + p.drugSeizures.totalCount, 0);
        return { seizures, statements: Object.fromEntries([...graph.statements].map(([name, c]) => [name, c.count])) };
      };
      const before = await measure();

      // Seed 11 is this test's own: its records (SYN-<kind>-11-<n>) are told apart from the seeded
      // sample's (seed 1) and removed again, so that the newest-first pages other tests read
      // (Sinaloa's designations and extraditions, say) are the seeded ones whatever ran before.
      const { borderTrade, firearms, finance, extradition } = graph.handles;
      const ours = (kind: string) => ({ where: { recordId: { startsWith: `SYN-${kind}-11-` } } });
      try {
        await loadBorderTrade(borderTrade.prisma, { seed: 11, drugSeizures: 20_000, interdictions: 0 });
        await loadFirearms(firearms.prisma, { seed: 11, firearmSeizures: 10_000, traffickingCases: 1_500 });
        await loadFinance(finance.prisma, { seed: 11, assetSeizures: 3_000, designations: 2_000 });
        await loadExtradition(extradition.prisma, { seed: 11, cases: 3_000 });

        const after = await measure();
        expect(after.seizures).toBeGreaterThan(before.seizures * 9);
        expect(after.statements).toEqual(before.statements);
      } finally {
        await borderTrade.prisma.drugSeizure.deleteMany(ours('DS'));
        await firearms.prisma.firearmSeizure.deleteMany(ours('FS'));
        await firearms.prisma.traffickingCase.deleteMany(ours('TC'));
        await finance.prisma.assetSeizure.deleteMany(ours('AS'));
        await finance.prisma.sanctionsDesignation.deleteMany(ours('SD'));
        await extradition.prisma.extraditionCase.deleteMany(ours('EC'));
      }
      expect((await measure()).seizures).toBe(before.seizures);
    }, 300_000);
  });
});
