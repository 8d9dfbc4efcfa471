import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, readSupergraphConfig, ALL_SCOPES } from '@bicentennial/schema';
import { developmentToken } from '@bicentennial/testing';
import { startStack, type Stack } from '@bicentennial/tools/stack';
import { Agent, fetch as undiciFetch } from 'undici';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The gateway's worker processes: the children of its primary that run the gateway (not tsx's esbuild). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent's pid (after the parenthesised command name).
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return false;
        return /gateway[/\\](src|dist)[/\\]index\.[jt]s/.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const OBJECTIVE_VALUES = `query ObjectiveValues { objective(id: "2.2.1") { id indicators { id observations { period value } } } }`;
type ObjectiveValues = {
  objective: { indicators: { id: string; observations: { period: string; value: number }[] | null }[] };
};

/**
 * The gateway as production runs it on this two-core machine: GATEWAY_WORKERS=2 under one
 * primary, sharing one port, each with its own in-memory response cache. A write answered by one
 * worker must leave no stale answer in the other; a worker that dies is replaced; SIGTERM drains
 * both.
 */
describe('the gateway on two workers', () => {
  let stack: Stack | undefined;
  let scratch: string;
  let writer: string;
  /** A new connection per request, so that the primary hands requests to both workers in turn. */
  const ask = async <T>(query: string, variables?: Record<string, unknown>, token?: string) => {
    const dispatcher = new Agent({ pipelining: 0 });
    try {
      const response = await undiciFetch(stack!.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        dispatcher,
        signal: AbortSignal.timeout(30_000),
      });
      return {
        cache: response.headers.get('x-cache'),
        body: (await response.json()) as { data?: T; errors?: { message: string }[] },
      };
    } finally {
      await dispatcher.close();
    }
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bicentennial-workers-'));
    const needed = new Set(['framework', 'firearms', 'audit']);
    const closed = Object.fromEntries(
      readSupergraphConfig()
        .filter((s) => !needed.has(s.name))
        .map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, 'http://127.0.0.1:9/graphql']),
    );
    stack = await startStack({
      ports: 'ephemeral',
      subgraphs: readSupergraphConfig().filter((s) => needed.has(s.name)),
      env: { ...process.env, DEV_KEYS_DIR: join(scratch, 'keys'), LOG_LEVEL: 'warn' },
      subgraphEnv: (name) => ({ PGLITE_DIR: join(scratch, name) }),
      gatewayEnv: {
        ...closed,
        GATEWAY_WORKERS: '2',
        RATE_LIMIT_CAPACITY: '0',
        STATUS_POLL_INTERVAL_MS: '600000',
        SUPERGRAPH_WATCH: 'false',
        AUDIT_SPOOL_DIR: join(scratch, 'spool'),
      },
      onLine: () => undefined,
    });
    writer = await developmentToken(stack.devKeysDir, {
      subject: 'writer-1',
      agency: 'ATF',
      country: 'US',
      scopes: [...ALL_SCOPES],
    });
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs two worker processes under one primary, both answering', async () => {
    expect(childrenOf(stack!.gateway.pid!)).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask<ObjectiveValues>(OBJECTIVE_VALUES)));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
  });

  it('leaves no stale answer in any worker after a write answered by one of them', async () => {
    // Both workers cache the answer (requests go to each in turn; a few rounds make sure).
    for (let round = 0; round < 6; round++) await ask(OBJECTIVE_VALUES);
    const cached = await Promise.all(Array.from({ length: 4 }, () => ask(OBJECTIVE_VALUES)));
    expect(cached.map((a) => a.cache)).toEqual(['HIT', 'HIT', 'HIT', 'HIT']);
    const indicators = (await ask<ObjectiveValues>(OBJECTIVE_VALUES)).body.data!.objective.indicators;
    const written = await ask(
      `mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
        submitFirearmsObservation(input: $input, submission: $submission) { period }
      }`,
      {
        input: {
          indicatorId: indicators[0]!.id,
          period: '2044',
          periodKind: 'CALENDAR_YEAR',
          value: 44,
          region: 'MX',
          status: 'FINAL',
          sourceId: 'gao-09-709',
        },
        submission: { idempotencyKey: `workers-${randomUUID()}` },
      },
      writer,
    );
    expect(written.body.errors).toBeUndefined();
    // Every answer after the write has it, whichever worker answers.
    for (let round = 0; round < 6; round++) {
      const after = await ask<ObjectiveValues>(OBJECTIVE_VALUES);
      const series = after.body.data!.objective.indicators.find((i) => i.id === indicators[0]!.id)!.observations!;
      expect(series.map((o) => `${o.period}=${o.value}`)).toContain('2044=44');
    }
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const [victim, survivor] = childrenOf(stack!.gateway.pid!);
    process.kill(victim!, 'SIGKILL');
    // The primary hears of the exit and hands new connections to the survivor.
    await sleep(300);
    const answer = await ask<ObjectiveValues>(OBJECTIVE_VALUES);
    expect(answer.body.errors).toBeUndefined();
    const deadline = Date.now() + 60_000;
    let children = childrenOf(stack!.gateway.pid!);
    while (!(children.length === 2 && !children.includes(victim!)) && Date.now() < deadline) {
      await sleep(200);
      children = childrenOf(stack!.gateway.pid!);
    }
    expect(children).toHaveLength(2);
    expect(children).toContain(survivor);
    expect(children).not.toContain(victim);
  });

  it('stops both workers on SIGTERM to the primary', async () => {
    const workers = childrenOf(stack!.gateway.pid!);
    await stack!.gateway.stop();
    expect(stack!.gateway.running).toBe(false);
    const deadline = Date.now() + 15_000;
    while (workers.some(alive) && Date.now() < deadline) await sleep(100);
    expect(workers.filter(alive)).toEqual([]);
  });
});
