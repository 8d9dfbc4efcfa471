import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SCOPES, readSupergraphConfig } from '@bicentennial/schema';
import { developmentToken } from '@bicentennial/testing';
import { startStack, type Stack } from '@bicentennial/tools/stack';
import {
  DASHBOARD,
  expectCompleteDashboard,
  expectPublishedFigures,
  MISSING,
  OBJECTIVE,
  objectivesOf,
  post,
  type DashboardData,
  type ObjectiveData,
} from '../operations';
import { createThrowawayDatabases, describeOn } from '../postgres';

interface SubgraphStatus {
  name: string;
  reachable: boolean | null;
  lastError: string | null;
  latencyMs: number | null;
}

const SUBGRAPHS = readSupergraphConfig().map((s) => s.name);
const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

async function getJson<T>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const statusOf = async (gatewayUrl: string, name: string, token: string) =>
  (
    await getJson<{ subgraphs: SubgraphStatus[] }>(`${base(gatewayUrl)}/status/subgraphs?refresh=true`, token)
  ).body.subgraphs.find((s) => s.name === name);

const legs = [
  { name: 'the embedded PGlite databases', database: 'pglite' },
  { name: 'PostgreSQL', database: 'postgres' },
] as const;

// describeOn decides while Jest collects the tests: the PostgreSQL leg is describe.skip when the
// server does not answer (reported as skipped), and fails the file when REQUIRE_POSTGRES=true.
for (const { name, database } of legs)
  describeOn(database)(`the whole graph as \`npm start\` runs it, on ${name}`, () => {
    let stack: Stack | undefined;
    let scratch: string | undefined;
    let dropDatabases: (() => Promise<void>) | undefined;
    const lines: string[] = [];
    /** U.S. agency staff with every scope (operator included), signed with the stack's development keys. */
    let staff: string;

    beforeAll(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'bicentennial-e2e-'));
      let urls: Map<string, string> | undefined;
      if (database === 'postgres') {
        const throwaway = await createThrowawayDatabases(SUBGRAPHS);
        urls = throwaway.urls;
        dropDatabases = throwaway.drop;
      }
      stack = await startStack({
        ports: 'ephemeral',
        env: { ...process.env, LOG_LEVEL: 'info', STATUS_POLL_INTERVAL_MS: '1000' },
        // One gateway process (each worker has its own view of the subgraphs' status, and this test
        // reads /status/subgraphs twice), and no cache: the outage test must reach firearms.
        gatewayEnv: { GATEWAY_WORKERS: '1', RESPONSE_CACHE: 'off', RESPONSE_CACHE_DEDUPE: 'off' },
        subgraphEnv: (name): Record<string, string> =>
          urls ? { DATABASE_URL: urls.get(name)!, DB_POOL_SIZE: '4' } : { PGLITE_DIR: join(scratch!, name) },
        onLine: (service, line) => {
          lines.push(`[${service}] ${line}`);
        },
      });
      staff = await developmentToken(stack.devKeysDir, {
        subject: 'e2e-operator',
        agency: 'DHS',
        country: 'US',
        scopes: [...ALL_SCOPES],
      });
    }, 300_000);

    afterAll(async () => {
      await stack?.stop();
      await dropDatabases?.();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }, 120_000);

    it('reports health and readiness of the gateway and of every subgraph', async () => {
      const gateway = stack!.gatewayUrl;
      expect(await getJson(`${base(gateway)}/health`)).toEqual({
        status: 200,
        body: { status: 'ok', service: 'gateway' },
      });
      expect(await getJson(`${base(gateway)}/ready`)).toEqual({
        status: 200,
        body: { status: 'ready', service: 'gateway' },
      });
      for (const [name, subgraph] of stack!.subgraphs) {
        expect(await getJson(`${base(subgraph.url)}/ready`)).toEqual({
          status: 200,
          body: { status: 'ready', service: name },
        });
      }
    });

    it('answers the three contract operations', async () => {
      const dashboard = await post<DashboardData>(stack!.gatewayUrl, DASHBOARD);
      expect(dashboard.status).toBe(200);
      expect(dashboard.body.errors).toBeUndefined();
      expectCompleteDashboard(dashboard.body.data);
      expectPublishedFigures(dashboard.body.data!);

      const objective = await post<ObjectiveData>(stack!.gatewayUrl, OBJECTIVE);
      expect(objective.body.errors).toBeUndefined();
      expect(objective.body.data!.objective).toMatchObject({
        id: '2.2.1',
        area: { id: '2.2' },
        goal: { id: '2' },
        owner: 'FIREARMS',
      });
      expect(objective.body.data!.objective!.indicators.find((i) => i.id === '2.2.1/us-sourced-share')?.latest).toEqual(
        {
          period: '2024',
          value: 70.5,
        },
      );

      expect((await post(stack!.gatewayUrl, MISSING)).body).toEqual({ data: { objective: null } });

      // A verified caller gets the same public answer, and the records the public does not.
      const asStaff = await post<DashboardData>(stack!.gatewayUrl, DASHBOARD, undefined, { token: staff });
      expect(asStaff.body.errors).toBeUndefined();
      expectCompleteDashboard(asStaff.body.data);
      expectPublishedFigures(asStaff.body.data!);
      const records = '{ drugSeizures(first: 1) { totalCount } extraditionCases(first: 1) { totalCount } }';
      const anonymous = await post(stack!.gatewayUrl, records);
      expect(anonymous.body.data).toBeNull();
      expect(anonymous.body.errors?.map((e) => e.extensions?.['code'])).toEqual([
        'UNAUTHORIZED_FIELD_OR_TYPE',
        'UNAUTHORIZED_FIELD_OR_TYPE',
      ]);
      const verified = await post<{ drugSeizures: { totalCount: number }; extraditionCases: { totalCount: number } }>(
        stack!.gatewayUrl,
        records,
        undefined,
        { token: staff },
      );
      expect(verified.body.errors).toBeUndefined();
      expect(verified.body.data!.drugSeizures.totalCount).toBeGreaterThan(0);
      expect(verified.body.data!.extraditionCases.totalCount).toBeGreaterThan(0);
    });

    it('answers GET requests that carry the CSRF-prevention header', async () => {
      const url = new URL(stack!.gatewayUrl);
      url.searchParams.set('query', '{ objective(id: "3.4.1") { id owner } }');
      const blocked = await fetch(url);
      expect(blocked.status).toBe(400);
      const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(await allowed.json()).toEqual({ data: { objective: { id: '3.4.1', owner: 'EXTRADITION' } } });
    });

    it('keeps serving every other subgraph when firearms is down, and recovers when it is back', async () => {
      const gatewayUrl = stack!.gatewayUrl;
      const firearms = stack!.subgraphs.get('firearms')!;
      await firearms.stop();

      const down = await until('firearms to show as down', async () => {
        const status = await statusOf(gatewayUrl, 'firearms', staff);
        return status?.reachable === false ? status : undefined;
      });
      expect(down.lastError).toBe('connection refused');
      const all = await getJson<{ healthy: boolean; subgraphs: SubgraphStatus[] }>(
        `${base(gatewayUrl)}/status/subgraphs`,
        staff,
      );
      expect(all.body.healthy).toBe(false);
      expect(
        all.body.subgraphs
          .filter((s) => s.reachable)
          .map((s) => s.name)
          .sort(),
      ).toEqual(SUBGRAPHS.filter((s) => s !== 'firearms').sort());
      expect((await getJson(`${base(gatewayUrl)}/ready`)).status).toBe(200);

      const partial = await post<DashboardData>(gatewayUrl, DASHBOARD);
      expect(partial.status).toBe(200);
      expect(partial.body.errors).toEqual([
        {
          message: expect.stringMatching(/^The firearms subgraph is unavailable/),
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'firearms' },
        },
      ]);
      const objectives = objectivesOf(partial.body.data!);
      expect(objectives).toHaveLength(26);
      for (const objective of objectives) {
        for (const indicator of objective.indicators) {
          // The catalogue (framework) is whole; only the firearms values are missing.
          expect([indicator.name.length > 0, indicator.series === null]).toEqual([
            true,
            objective.owner === 'FIREARMS',
          ]);
        }
      }
      expect(objectives.flatMap((o) => o.indicators).filter((i) => (i.series ?? []).length > 0).length).toBeGreaterThan(
        20,
      );

      await firearms.restart();
      await until('firearms to show as reachable', async () => {
        const status = await statusOf(gatewayUrl, 'firearms', staff);
        return status?.reachable === true ? status : undefined;
      });
      const whole = await post<DashboardData>(gatewayUrl, DASHBOARD);
      expect(whole.body.errors).toBeUndefined();
      expectCompleteDashboard(whole.body.data);
      expectPublishedFigures(whole.body.data!);
    }, 180_000);

    it('logs through the runner with each process named', () => {
      for (const name of [...SUBGRAPHS, 'gateway']) {
        expect(lines.some((line) => line.startsWith(`[${name}] `) && line.includes('"msg":"serving"'))).toBe(true);
      }
      expect(lines.some((line) => line.includes('"msg":"applied migration"'))).toBe(true);
    });
  });
