import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SCOPES } from '@bicentennial/schema';
import { developmentToken } from '@bicentennial/testing';
import { startStack, type Stack } from '@bicentennial/tools/stack';
import {
  DASHBOARD,
  expectCompleteDashboard,
  objectivesOf,
  post,
  type DashboardData,
  type GraphQLResponse,
} from '../operations';

interface SubgraphStatus {
  name: string;
  reachable: boolean | null;
  lastError: string | null;
  circuit: 'closed' | 'open' | 'half-open';
}

/** Where the stream of Dashboards was when an answer came. */
type Phase = 'before' | 'killed' | 'open' | 'restarting' | 'restarted';

interface Answer {
  /** When it was asked, and when it was answered (a Dashboard asked before the kill may meet it). */
  phase: Phase;
  answered: Phase;
  status: number;
  body: GraphQLResponse<DashboardData>;
}

/** The firearms part failed without a network attempt: its circuit was open. */
const refusedAtOnce = (answer: Answer) =>
  answer.body.errors !== undefined &&
  answer.body.errors.every((e) => e.message.includes('circuit open after repeated failures: not called'));

const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value; bounded generously (the machine is shared). */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// The graph as `npm start` runs it (every subgraph its own process, embedded databases), with
// what would hide the subgraph calls off: answers are not cached nor shared, and no rate limit.
describe('a domain subgraph killed while Dashboards are being asked', () => {
  let stack: Stack | undefined;
  let scratch: string | undefined;
  let operator: string;
  const lines: string[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bicentennial-resilience-'));
    stack = await startStack({
      ports: 'ephemeral',
      env: { ...process.env, LOG_LEVEL: 'info', STATUS_POLL_INTERVAL_MS: '1000' },
      gatewayEnv: {
        RATE_LIMIT_CAPACITY: '0',
        RESPONSE_CACHE: 'off',
        RESPONSE_CACHE_DEDUPE: 'off',
        SUBGRAPH_BREAKER_THRESHOLD: '5',
        SUBGRAPH_BREAKER_HALF_OPEN_AFTER_MS: '1000',
      },
      subgraphEnv: (name) => ({ PGLITE_DIR: join(scratch!, name) }),
      onLine: (service, line) => {
        lines.push(`[${service}] ${line}`);
      },
    });
    operator = await developmentToken(stack.devKeysDir, {
      subject: 'resilience-operator',
      agency: 'DHS',
      country: 'US',
      scopes: [...ALL_SCOPES],
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  const firearmsStatus = async () => {
    const response = await fetch(`${base(stack!.gatewayUrl)}/status/subgraphs`, {
      headers: { authorization: `Bearer ${operator}` },
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as { subgraphs: SubgraphStatus[] };
    return body.subgraphs.find((s) => s.name === 'firearms');
  };

  /** Everything in an answer but the firearms values: the catalogue whole, every other owner's series there. */
  const expectEveryOtherSubgraph = (answer: Answer) => {
    expect(answer.status).toBe(200);
    const objectives = objectivesOf(answer.body.data!);
    expect(objectives).toHaveLength(26);
    for (const objective of objectives) {
      for (const indicator of objective.indicators) {
        expect(indicator.name.length).toBeGreaterThan(0);
        if (objective.owner !== 'FIREARMS')
          expect({ id: indicator.id, series: Array.isArray(indicator.series) }).toEqual({
            id: indicator.id,
            series: true,
          });
      }
    }
  };

  it('keeps answering for every other subgraph, stops calling the dead one, and recovers without a gateway restart', async () => {
    const gatewayUrl = stack!.gatewayUrl;
    const gatewayPid = stack!.gateway.pid;
    const firearms = stack!.subgraphs.get('firearms')!;
    const port = new URL(firearms.url).port;

    const answers: Answer[] = [];
    let phase: Phase = 'before';
    let streaming = true;
    // Three dashboards at a time, one after the other, for as long as the test runs.
    const clients = Array.from({ length: 3 }, async () => {
      while (streaming) {
        const asked = phase;
        const { status, body } = await post<DashboardData>(gatewayUrl, DASHBOARD);
        answers.push({ phase: asked, answered: phase, status, body });
      }
    });
    try {
      await until('whole Dashboards before the kill', () =>
        answers.filter((a) => a.answered === 'before').length >= 4 ? true : undefined,
      );
      // Every Dashboard asked from here on may meet the kill.
      phase = 'killed';
      process.kill(firearms.pid!, 'SIGKILL');
      const open = await until('the firearms circuit to open', async () => {
        const status = await firearmsStatus();
        return status?.circuit === 'open' ? status : undefined;
      });
      expect(open.reachable).toBe(false);
      expect(['connection refused', 'connection reset']).toContain(
        open.lastError?.replace(/, after \d+ attempts$/, ''),
      );
      phase = 'open';
      await until('Dashboards refused at once while the circuit is open', () =>
        answers.filter((a) => a.phase === 'open' && refusedAtOnce(a)).length >= 6 ? true : undefined,
      );

      phase = 'restarting';
      await firearms.restart();
      phase = 'restarted';
      expect(new URL(firearms.url).port).toBe(port);
      const whole = await until('a whole Dashboard again', () =>
        answers.find((a) => a.phase === 'restarted' && a.body.errors === undefined),
      );
      expectCompleteDashboard(whole.body.data);
      await until('the firearms circuit to close', async () => {
        const status = await firearmsStatus();
        return status?.circuit === 'closed' && status.reachable === true ? status : undefined;
      });
    } finally {
      streaming = false;
      await Promise.all(clients);
    }

    // Before the kill every answer was whole.
    const before = answers.filter((a) => a.answered === 'before');
    for (const answer of before) expect([answer.status, answer.body.errors]).toEqual([200, undefined]);

    // From the kill on, every answer came, with data for every other subgraph and errors naming
    // firearms only: coded, and without its address.
    const during = answers.filter((a) => a.answered !== 'before');
    for (const answer of during) expectEveryOtherSubgraph(answer);
    const errors = during.flatMap((a) => a.body.errors ?? []);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'firearms' });
      expect(error.message).toMatch(/^The firearms subgraph is unavailable \(.+\); the fields it provides are null\.$/);
      expect(error.message).not.toMatch(/127\.0\.0\.1|localhost|http:|:\d{2,5}\b/);
    }
    // Once the circuit was open, the firearms part failed with no network attempt (the message
    // says so), but for the probe sent after each cool-down, which found the subgraph still dead.
    const whileOpen = answers.filter((a) => a.phase === 'open');
    for (const answer of whileOpen) expect(answer.body.errors?.length).toBeGreaterThan(0);
    expect(whileOpen.filter(refusedAtOnce).length).toBeGreaterThanOrEqual(6);

    // The same gateway process throughout, which logged the circuit's turns.
    expect(stack!.gateway.pid).toBe(gatewayPid);
    expect(stack!.gateway.running).toBe(true);
    const gatewayLog = lines.filter((line) => line.startsWith('[gateway] ') && line.includes('"subgraph":"firearms"'));
    expect(gatewayLog.some((line) => line.includes('subgraph circuit open'))).toBe(true);
    expect(gatewayLog.some((line) => line.includes('subgraph circuit closed'))).toBe(true);
  }, 60_000);
});
