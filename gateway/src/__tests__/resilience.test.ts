import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { InternalSigner } from '@bicentennial/service';
import { composeSupergraph } from '@bicentennial/tools/compose';
import { buildSchema, graphql } from 'graphql';
import pino from 'pino';
import { Agent } from 'undici';
import { keepAliveFetcher, SubgraphDataSource } from '../dataSource';
import { readEnv } from '../env';
import { fetchKind, RetryBudget, type CircuitStateName, type ResilienceSettings } from '../resilience';
import { SubgraphStatusMonitor } from '../status';
import { forApolloGateway } from '../supergraph';

/** What the fault server does with the next request. */
type Behaviour =
  | 'answer'
  /** Reads the request, then closes the connection without a word. */
  | 'reset'
  /** Holds the request until `release()` (or the test ends). */
  | 'hang'
  | { status: number; body?: unknown };

/** The schema both test subgraphs answer from (each is asked only for its own fields). */
const EXECUTABLE = buildSchema(`
  type Query { reading: Int note: String }
  type Mutation { recordReading(value: Int!): Int }
`);
const ROOT = { reading: 42, note: 'hi', recordReading: ({ value }: { value: number }) => value };

/**
 * A subgraph on 127.0.0.1 whose answers the test scripts: the next behaviours in `script`, then
 * `fallback`. `received` lists the operation of every request that reached it.
 */
interface FaultySubgraph {
  url: string;
  received: string[];
  script(...behaviours: Behaviour[]): void;
  fallback: Behaviour;
  /** Answers every held request. */
  release(): void;
  close(): Promise<void>;
}

async function startFaultySubgraph(): Promise<FaultySubgraph> {
  const queue: Behaviour[] = [];
  const held: (() => void)[] = [];
  const received: string[] = [];
  const answer = (res: ServerResponse, query: string, variables: Record<string, unknown> | undefined) => {
    void graphql({ schema: EXECUTABLE, source: query, rootValue: ROOT, variableValues: variables ?? null }).then(
      (result) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      },
    );
  };
  const subgraph: FaultySubgraph = {
    url: '',
    received,
    fallback: 'answer',
    script: (...behaviours) => queue.push(...behaviours),
    release: () => held.splice(0).forEach((respond) => respond()),
    close: () =>
      new Promise((resolve) => {
        held.length = 0;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      received.push(query);
      const behaviour = queue.shift() ?? subgraph.fallback;
      if (behaviour === 'answer') answer(res, query, variables);
      else if (behaviour === 'reset') req.socket.destroy();
      else if (behaviour === 'hang') held.push(() => answer(res, query, variables));
      else {
        const json = behaviour.body !== undefined;
        res.writeHead(behaviour.status, { 'content-type': json ? 'application/json' : 'text/plain' });
        res.end(json ? JSON.stringify(behaviour.body) : 'unavailable');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  subgraph.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return subgraph;
}

/** Two subgraphs, composed once; each test routes them to its own fault servers. */
function composeTestSupergraph(dir: string): string {
  const link =
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable", "@policy"])';
  const subgraphs = [
    {
      name: 'readings',
      sdl: `${link}\n"R."\ntype Query { "R." reading: Int }\n"R."\ntype Mutation { "R." recordReading(value: Int!): Int }`,
    },
    { name: 'notes', sdl: `${link}\n"N."\ntype Query { "N." note: String }` },
  ].map(({ name, sdl }) => {
    const sdlPath = join(dir, `${name}.graphql`);
    writeFileSync(sdlPath, sdl);
    return { name, routingUrl: `http://${name}.invalid/graphql`, port: 0, sdlPath, packageDir: dir };
  });
  const composed = composeSupergraph(subgraphs);
  expect(composed.errors).toEqual([]);
  // The shared SDL links @policy, which this gateway enforces itself (supergraph.ts).
  return forApolloGateway(composed.supergraphSdl!);
}

const signer: InternalSigner = { sign: () => Promise.resolve('internal-token') };
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Breakers that never open and no retries unless a test asks: each test sets what it is about. */
const BASE: ResilienceSettings = {
  retryAttempts: 3,
  retryBackoffMs: 5,
  retryBudgetPercent: 10,
  retryBudgetMin: 3,
  breakerThreshold: 1_000,
  breakerHalfOpenAfterMs: 60_000,
};

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('subgraph retries and circuit breakers', () => {
  let dir: string;
  let supergraphSdl: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-resilience-'));
    supergraphSdl = composeTestSupergraph(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A real @apollo/gateway over the two fault servers, with these settings. */
  async function startGraph(settings: Partial<ResilienceSettings> & { timeoutMs?: number } = {}) {
    const { timeoutMs = 5_000, ...resilience } = settings;
    const readings = await startFaultySubgraph();
    const notes = await startFaultySubgraph();
    const urls: Record<string, string> = { readings: readings.url, notes: notes.url };
    const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
    const lines: { level: number; msg: string; subgraph?: string }[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as never);
          done();
        },
      }),
    );
    const monitor = new SubgraphStatusMonitor({
      intervalMs: 60_000,
      timeoutMs: 1_000,
      dispatcher,
      logger: silent,
      authorization: () => Promise.resolve('Bearer internal-token'),
    });
    monitor.setSubgraphs(Object.entries(urls).map(([name, url]) => ({ name, url })));
    const changes: [string, CircuitStateName][] = [];
    const gateway = new ApolloGateway({
      supergraphSdl,
      buildService: ({ name }) =>
        new SubgraphDataSource(
          name,
          urls[name]!,
          keepAliveFetcher(dispatcher, timeoutMs),
          monitor,
          logger,
          timeoutMs,
          signer,
          {
            ...BASE,
            ...resilience,
            onBreakerStateChange: (subgraph, state) => changes.push([subgraph, state]),
          },
        ),
      logger: silent,
    });
    const server = new ApolloServer({ gateway, logger: silent });
    await server.start();
    cleanups.push(async () => {
      await server.stop();
      await Promise.all([readings.close(), notes.close()]);
      await dispatcher.destroy();
    });
    const run = async (query: string): Promise<Answer> => {
      const response = await server.executeOperation({ query });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as Answer;
    };
    const circuit = (name: string) => monitor.snapshot().find((s) => s.name === name)?.circuit;
    const logged = (level: 'warn' | 'info', subgraph: string) =>
      lines.filter((l) => l.level === pino.levels.values[level] && l.subgraph === subgraph).map((l) => l.msg);
    return { readings, notes, run, monitor, changes, circuit, logged };
  }

  const codesOf = (answer: Answer) =>
    answer.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']]);

  it('retries a read that failed in passing (a reset connection, a 503) and answers it whole', async () => {
    const graph = await startGraph();
    graph.readings.script('reset', { status: 503 });
    expect(await graph.run('{ reading note }')).toEqual({ data: { reading: 42, note: 'hi' } });
    // Two failed attempts and the one that answered; the other subgraph was asked once.
    expect(graph.readings.received).toHaveLength(3);
    expect(new Set(graph.readings.received).size).toBe(1);
    expect(graph.notes.received).toHaveLength(1);
    expect(graph.monitor.snapshot().find((s) => s.name === 'readings')).toMatchObject({
      reachable: true,
      circuit: 'closed',
    });
  });

  it('gives up after the attempts a read may take, with the last reason', async () => {
    const graph = await startGraph({ retryAttempts: 2 });
    graph.readings.fallback = { status: 502 };
    const answer = await graph.run('{ reading note }');
    expect(answer.data).toEqual({ reading: null, note: 'hi' });
    expect(answer.errors).toEqual([
      {
        message: 'The readings subgraph is unavailable (HTTP 502, after 2 attempts); the fields it provides are null.',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'readings' },
      },
    ]);
    expect(graph.readings.received).toHaveLength(2);
  });

  it('never retries a mutation, whatever the failure', async () => {
    const graph = await startGraph();
    graph.readings.script({ status: 503 }, 'reset');
    const refused = await graph.run('mutation { recordReading(value: 7) }');
    expect(refused.errors?.map((e) => e.message)).toEqual([
      'The readings subgraph is unavailable (HTTP 503); the fields it provides are null.',
    ]);
    const reset = await graph.run('mutation { recordReading(value: 7) }');
    expect(reset.errors?.map((e) => e.message)).toEqual([
      'The readings subgraph is unavailable (connection reset); the fields it provides are null.',
    ]);
    // One request each: the gateway sent the mutation's fetch as a `mutation`, and it went once.
    expect(graph.readings.received).toHaveLength(2);
    expect(graph.readings.received.every((operation) => operation.startsWith('mutation'))).toBe(true);
    expect(await graph.run('mutation { recordReading(value: 7) }')).toEqual({ data: { recordReading: 7 } });
  });

  it('does not retry a 4xx answer with GraphQL errors, and passes its errors on', async () => {
    const graph = await startGraph();
    graph.readings.script({
      status: 400,
      body: { errors: [{ message: 'Variable "$value" got an invalid value', extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    const answer = await graph.run('{ reading note }');
    expect(answer.errors).toEqual([
      {
        message: 'Variable "$value" got an invalid value',
        extensions: { code: 'BAD_USER_INPUT', serviceName: 'readings' },
      },
    ]);
    expect(answer.data).toEqual({ reading: null, note: 'hi' });
    expect(graph.readings.received).toHaveLength(1);
    expect(graph.circuit('readings')).toBe('closed');
  });

  it('keeps retries within the budget when a subgraph fails everything', async () => {
    // 10 % of the requests and no minimum: a retry for every tenth request, in a window wider
    // than the test (so that no slice slides out while it runs).
    const graph = await startGraph({ retryBudgetPercent: 10, retryBudgetMin: 0, retryBudgetWindowMs: 3_600_000 });
    graph.readings.fallback = { status: 503 };
    const messages: string[] = [];
    for (let n = 0; n < 20; n += 1) messages.push((await graph.run('{ reading }')).errors![0]!.message);
    // Three attempts each would have sent 60 requests; the budget let 2 retries through.
    expect(graph.readings.received).toHaveLength(22);
    const retried = messages.flatMap((message, index) => (message.includes('after 2 attempts') ? [index + 1] : []));
    expect(retried).toEqual([10, 20]);
  });

  it('the budget counts requests and retries over a sliding window', () => {
    let now = 0;
    const budget = new RetryBudget(10, 1, 10_000, () => now);
    expect(budget.tryRetry()).toBe(true); // the minimum
    expect(budget.tryRetry()).toBe(false);
    for (let n = 0; n < 10; n += 1) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true); // 10 % of 10
    expect(budget.tryRetry()).toBe(false);
    // 10 s later the window holds none of it: the minimum again.
    now = 10_000;
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });

  it('opens the circuit after the threshold: the subgraph is then not called at all', async () => {
    const graph = await startGraph({ retryAttempts: 1, breakerThreshold: 3 });
    graph.readings.fallback = 'reset';
    for (let n = 0; n < 3; n += 1) {
      const answer = await graph.run('{ reading note }');
      expect(answer.data).toEqual({ reading: null, note: 'hi' });
      expect(answer.errors?.map((e) => e.message)).toEqual([
        'The readings subgraph is unavailable (connection reset); the fields it provides are null.',
      ]);
    }
    expect(graph.circuit('readings')).toBe('open');
    expect(graph.changes.filter(([name]) => name === 'readings').map(([, state]) => state)).toEqual(['closed', 'open']);
    expect(graph.changes.filter(([name]) => name === 'notes').map(([, state]) => state)).toEqual(['closed']);
    expect(graph.logged('warn', 'readings')).toContain(
      'subgraph circuit open: its fetches fail at once until a probe succeeds',
    );

    for (let n = 0; n < 5; n += 1) {
      const answer = await graph.run('{ reading note }');
      expect(answer.data).toEqual({ reading: null, note: 'hi' });
      expect(codesOf(answer)).toEqual([['SUBGRAPH_UNAVAILABLE', 'readings']]);
      expect(answer.errors![0]!.message).toMatch(
        /^The readings subgraph is unavailable \(circuit open after repeated failures: not called; next probe in \d+ s\); the fields it provides are null\.$/,
      );
    }
    // The three failures, and not one request since; the other subgraph's circuit is its own.
    expect(graph.readings.received).toHaveLength(3);
    expect(graph.notes.received).toHaveLength(8);
    expect(graph.circuit('notes')).toBe('closed');
    // The status keeps the failure that opened it (nothing since was tried).
    expect(graph.monitor.snapshot().find((s) => s.name === 'readings')).toMatchObject({
      reachable: false,
      lastError: 'connection reset',
      circuit: 'open',
    });
  });

  it('after the cool-down one request probes the subgraph, and its success closes the circuit', async () => {
    const graph = await startGraph({ retryAttempts: 1, breakerThreshold: 2, breakerHalfOpenAfterMs: 200 });
    graph.readings.script({ status: 503 }, { status: 503 });
    await graph.run('{ reading }');
    await graph.run('{ reading }');
    expect(graph.circuit('readings')).toBe('open');
    // Refused at once until the cool-down is over; then the next one goes, and answers.
    const whole = await until('a whole answer', async () => {
      const answer = await graph.run('{ reading }');
      return answer.errors ? undefined : answer;
    });
    expect(whole).toEqual({ data: { reading: 42 } });
    expect(graph.readings.received).toHaveLength(3);
    expect(graph.changes.filter(([name]) => name === 'readings').map(([, state]) => state)).toEqual([
      'closed',
      'open',
      'half-open',
      'closed',
    ]);
    expect(graph.circuit('readings')).toBe('closed');
    expect(graph.logged('info', 'readings')).toEqual([
      'subgraph circuit half-open: one request probes it',
      'subgraph circuit closed',
    ]);
  });

  it('a failed probe opens the circuit again, and a read probe is not retried', async () => {
    const graph = await startGraph({ retryAttempts: 3, breakerThreshold: 1, breakerHalfOpenAfterMs: 200 });
    graph.readings.fallback = { status: 503 };
    // A read retried while closed: the first failure opens the circuit, which stops the retries.
    expect((await graph.run('{ reading }')).errors![0]!.message).toContain('(HTTP 503)');
    expect(graph.readings.received).toHaveLength(1);
    await sleep(300);
    expect((await graph.run('{ reading }')).errors![0]!.message).toContain('(HTTP 503)');
    expect(graph.readings.received).toHaveLength(2);
    expect((await graph.run('{ reading }')).errors![0]!.message).toContain('circuit open');
    expect(graph.readings.received).toHaveLength(2);
    expect(graph.changes.filter(([name]) => name === 'readings').map(([, state]) => state)).toEqual([
      'closed',
      'open',
      'half-open',
      'open',
    ]);
  });

  it('while the probe is out, other fetches to that subgraph fail at once instead of waiting for it', async () => {
    const graph = await startGraph({ retryAttempts: 1, breakerThreshold: 1, breakerHalfOpenAfterMs: 200 });
    graph.readings.script({ status: 503 });
    await graph.run('{ reading }');
    expect(graph.circuit('readings')).toBe('open');
    await sleep(300);
    graph.readings.fallback = 'hang';
    const probe = graph.run('{ reading }');
    await until('the probe to reach the subgraph', () =>
      Promise.resolve(graph.readings.received.length === 2 ? true : undefined),
    );
    expect(graph.circuit('readings')).toBe('half-open');
    const meanwhile = await graph.run('{ reading note }');
    expect(meanwhile.data).toEqual({ reading: null, note: 'hi' });
    expect(meanwhile.errors![0]!.message).toBe(
      'The readings subgraph is unavailable (circuit open after repeated failures: not called; a probe is under way); the fields it provides are null.',
    );
    expect(graph.readings.received).toHaveLength(2);
    graph.readings.release();
    expect(await probe).toEqual({ data: { reading: 42 } });
    expect(graph.circuit('readings')).toBe('closed');
  });

  it('never retries past the deadline: SUBGRAPH_TIMEOUT_MS bounds all attempts together', async () => {
    const graph = await startGraph({ timeoutMs: 300, attemptTimeoutMs: 100, retryAttempts: 10, retryBudgetMin: 100 });
    graph.readings.fallback = 'hang';
    const answer = await graph.run('{ reading }');
    expect(answer.errors![0]!.message).toMatch(
      /^The readings subgraph is unavailable \(no answer within \d+ ms(, after \d attempts)?\); the fields it provides are null\.$/,
    );
    // Each attempt waits at least its 100 ms: no more than three fit in 300 ms (ten were allowed).
    expect(graph.readings.received.length).toBeGreaterThanOrEqual(1);
    expect(graph.readings.received.length).toBeLessThanOrEqual(3);
  });

  it('at the default attempt timeout a read that timed out is not retried: its deadline is spent', async () => {
    const graph = await startGraph({ timeoutMs: 200 });
    graph.readings.fallback = 'hang';
    const answer = await graph.run('{ reading }');
    expect(answer.errors![0]!.message).toBe(
      'The readings subgraph is unavailable (no answer within 200 ms); the fields it provides are null.',
    );
    expect(graph.readings.received).toHaveLength(1);
  });
});

describe('what a subgraph fetch is', () => {
  it('is a read only when every operation of its document is a query', () => {
    expect(fetchKind('{ reading }')).toBe('read');
    expect(fetchKind('query Dashboard__framework__0 { goals { id } }')).toBe('read');
    expect(
      fetchKind(
        'query Q__readings__1($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }',
      ),
    ).toBe('read');
    expect(fetchKind('mutation { recordReading(value: 1) }')).toBe('write');
    expect(fetchKind('fragment F on Query { reading } mutation M { recordReading(value: 1) }')).toBe('write');
    expect(fetchKind('subscription { readings }')).toBe('write');
    expect(fetchKind('not graphql {')).toBe('write');
    expect(fetchKind(undefined)).toBe('write');
  });
});

describe('resilience settings', () => {
  it('have defaults', () => {
    expect(readEnv({})).toMatchObject({
      SUBGRAPH_RETRY_ATTEMPTS: 3,
      SUBGRAPH_RETRY_BACKOFF_MS: 50,
      SUBGRAPH_RETRY_BUDGET_PERCENT: 10,
      SUBGRAPH_RETRY_BUDGET_MIN: 3,
      SUBGRAPH_BREAKER_THRESHOLD: 5,
      SUBGRAPH_BREAKER_HALF_OPEN_AFTER_MS: 5_000,
    });
    expect(readEnv({}).SUBGRAPH_ATTEMPT_TIMEOUT_MS).toBeUndefined();
  });

  it('refuse a bad value by name', () => {
    expect(() => readEnv({ SUBGRAPH_RETRY_ATTEMPTS: '0' })).toThrow('SUBGRAPH_RETRY_ATTEMPTS="0": must be at least 1');
    expect(() => readEnv({ SUBGRAPH_RETRY_BUDGET_PERCENT: '150' })).toThrow(
      'SUBGRAPH_RETRY_BUDGET_PERCENT="150": must be at most 100',
    );
    expect(() => readEnv({ SUBGRAPH_BREAKER_THRESHOLD: 'many' })).toThrow('SUBGRAPH_BREAKER_THRESHOLD="many"');
    expect(() => readEnv({ SUBGRAPH_BREAKER_HALF_OPEN_AFTER_MS: '10' })).toThrow(
      'SUBGRAPH_BREAKER_HALF_OPEN_AFTER_MS="10": must be at least 100',
    );
    expect(() => readEnv({ SUBGRAPH_TIMEOUT_MS: '2000', SUBGRAPH_ATTEMPT_TIMEOUT_MS: '5000' })).toThrow(
      'SUBGRAPH_ATTEMPT_TIMEOUT_MS="5000": must be at most SUBGRAPH_TIMEOUT_MS (2000)',
    );
    expect(readEnv({ SUBGRAPH_ATTEMPT_TIMEOUT_MS: '3000' }).SUBGRAPH_ATTEMPT_TIMEOUT_MS).toBe(3_000);
  });
});
