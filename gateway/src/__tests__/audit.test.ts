import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { spawnTestAuditSubgraph, startTestAuditSubgraph, type TestAuditSubgraph } from '@bicentennial/audit/testing';
import { ErrorCode, Scope, type Caller } from '@bicentennial/schema';
import { silentLogger, type InternalSigner } from '@bicentennial/service';
import { createTestKeys, type TestKeys } from '@bicentennial/testing';
import { buildSchema, GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import {
  AUDIT_FIELD_LIMITS,
  canonicalJson,
  classifyOutcome,
  createAuditTrail,
  documentHash,
  operationCoordinates,
  requestFieldsOf,
  toWire,
  variablesHash,
  type AuditEventInput,
  type AuditTrail,
  type AuditTrailOptions,
} from '../audit';

const STAFF: Caller = { subject: 'jdoe', agency: 'CBP', country: 'US', scopes: [Scope.BORDER_TRADE_WRITE] };

function input(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    id: randomUUID(),
    occurredAt: new Date(),
    caller: STAFF,
    operationName: 'Op',
    operationHash: documentHash('{ a }'),
    coordinates: ['Query.a'],
    outcome: 'OK',
    durationMs: 1.5,
    ...overrides,
  };
}

/** The spooled events in `dir`, by file kind. */
function spooled(dir: string): { audit: string[]; rejected: string[] } {
  const out = { audit: [] as string[], rejected: [] as string[] };
  for (const name of readdirSync(dir)) {
    const kind = name.startsWith('rejected-') ? 'rejected' : name.startsWith('audit-') ? 'audit' : undefined;
    if (!kind || !name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean)) {
      out[kind].push((JSON.parse(line) as { id: string }).id);
    }
  }
  return out;
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('audit hashes, fields and outcomes', () => {
  it('hashes variables as canonical JSON: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(variablesHash({ a: 1, b: 2 })).toBe(variablesHash({ b: 2, a: 1 }));
    expect(variablesHash({ a: 1 })).not.toBe(variablesHash({ a: 2 }));
    expect(variablesHash({})).toBeNull();
    expect(variablesHash(undefined)).toBeNull();
  });

  it.each([
    [[], true, true, 'OK', null],
    [['BAD_USER_INPUT'], true, true, 'PARTIAL', 'BAD_USER_INPUT'],
    [['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE'], true, true, 'PARTIAL', 'SUBGRAPH_UNAVAILABLE'],
    [['INTERNAL_SERVER_ERROR'], true, false, 'ERROR', 'INTERNAL_SERVER_ERROR'],
    [['GRAPHQL_PARSE_FAILED'], false, false, 'REFUSED', 'GRAPHQL_PARSE_FAILED'],
    [['GRAPHQL_VALIDATION_FAILED'], false, false, 'REFUSED', 'GRAPHQL_VALIDATION_FAILED'],
    [['BAD_USER_INPUT'], false, false, 'REFUSED', 'BAD_USER_INPUT'],
    [['PERSISTED_QUERY_NOT_FOUND'], false, false, 'REFUSED', 'PERSISTED_QUERY_NOT_FOUND'],
    // Unauthorized fields are removed and the rest answered: still a refusal, for the audit.
    [['UNAUTHORIZED_FIELD_OR_TYPE', 'BAD_USER_INPUT'], true, true, 'REFUSED', 'UNAUTHORIZED_FIELD_OR_TYPE'],
    [['FORBIDDEN'], true, false, 'REFUSED', 'FORBIDDEN'],
    [['UNAUTHENTICATED', 'RATE_LIMITED'], false, false, 'REFUSED', 'UNAUTHENTICATED, RATE_LIMITED'],
  ] as const)('classifies %j (executed %s, data %s) as %s', (codes, executed, hasData, outcome, reason) => {
    expect(classifyOutcome(codes, executed, hasData)).toEqual({ outcome, reason });
  });

  it('selects the coordinates of the operation run and the fragments it spreads, each once', () => {
    const schema = buildSchema(`
      type Query { port(code: ID!): Port, ports: [Port!]! }
      interface Node { id: ID! }
      type Port implements Node { id: ID! name: String! state: State! }
      type State { code: ID! name: String! }
    `);
    const document = parse(`
      query A { port(code: "X") { ...P state { code } __typename } ports { id } }
      query B { ports { name } }
      fragment P on Port { name ...Q }
      fragment Q on Node { id }
      fragment Unused on State { name }
    `);
    const [a] = document.definitions as OperationDefinitionNode[];
    expect(operationCoordinates(schema, document, a!)).toEqual([
      'Node.id',
      'Port.id',
      'Port.name',
      'Port.state',
      'Query.port',
      'Query.ports',
      'State.code',
    ]);
  });

  it('reads name, hashes and persisted id from a request body refused before GraphQL', () => {
    const query = 'query Q($a: Int) { x(a: $a) }';
    expect(
      requestFieldsOf({
        query,
        operationName: 'Q',
        variables: { a: 1 },
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      }),
    ).toEqual({
      operationName: 'Q',
      operationHash: documentHash(query),
      persistedQueryId: 'f'.repeat(64),
      variablesHash: variablesHash({ a: 1 }),
    });
    // A GET: variables and extensions as JSON text.
    expect(requestFieldsOf({ query, variables: '{"a":1}' }).variablesHash).toBe(variablesHash({ a: 1 }));
    expect(requestFieldsOf(undefined)).toEqual({
      operationName: null,
      operationHash: null,
      persistedQueryId: null,
      variablesHash: null,
    });
  });

  it('truncates to the audit subgraph bounds without splitting a character, and cleans what PostgreSQL cannot hold', () => {
    const wire = toWire(
      input({
        operationName: `${'x'.repeat(AUDIT_FIELD_LIMITS.operationName - 1)}😀`,
        reason: 'bad\u0000byte and a lone \ud83d',
        errorCodes: ['B', 'A', 'B'],
        coordinates: ['Query.b', 'Query.a', 'Query.b'],
        operationHash: 'not-a-hash',
        durationMs: -5,
      }),
      'gw-1',
    );
    expect(wire.operationName).toBe('x'.repeat(AUDIT_FIELD_LIMITS.operationName - 1));
    expect(wire.reason).toBe('bad\ufffdbyte and a lone \ufffd');
    expect(wire.errorCodes).toEqual(['A', 'B']);
    expect(wire.coordinates).toEqual(['Query.a', 'Query.b']);
    expect(wire.operationHash).toBeNull();
    expect(wire.durationMs).toBe(0);
    expect(toWire(input({ caller: null }), 'gw-1')).toMatchObject({ subject: null, agency: null, country: null });
  });
});

describe('the audit trail, delivering to a real audit subgraph', () => {
  let keys: TestKeys;
  let signer: InternalSigner;
  let scratch: string;
  let audit: TestAuditSubgraph;
  const trails: AuditTrail[] = [];

  const trail = (overrides: Partial<AuditTrailOptions> = {}) => {
    const created = createAuditTrail({
      url: audit.baseUrl,
      signer,
      logger: silentLogger,
      gatewayId: 'gateway-test',
      spoolDir: join(scratch, 'spool'),
      retryInitialMs: 20,
      retryMaxMs: 200,
      ...overrides,
    });
    trails.push(created);
    return created;
  };

  const storedIds = async (ids: readonly string[]) =>
    (await audit.running.prisma.auditEvent.findMany({ where: { id: { in: [...ids] } }, select: { id: true } })).map(
      (row) => row.id,
    );

  beforeAll(async () => {
    keys = await createTestKeys();
    signer = await keys.signer();
    scratch = mkdtempSync(join(tmpdir(), 'bicentennial-audit-trail-'));
    audit = await startTestAuditSubgraph({ jwksPath: keys.internalJwksPath, dataDir: join(scratch, 'pglite') });
  });
  afterEach(async () => {
    await Promise.all(trails.splice(0).map((t) => t.stop(2_000)));
  });
  afterAll(async () => {
    await audit?.stop();
    rmSync(scratch, { recursive: true, force: true });
    keys?.remove();
  });

  it('stores exactly the 1,000 events of a burst recorded just before stop', async () => {
    const before = await audit.count();
    const t = trail();
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    for (const id of ids) t.record(input({ id }));
    await t.stop(10_000);
    expect(await audit.count()).toBe(before + 1000);
    expect((await storedIds(ids)).sort()).toEqual([...ids].sort());
    expect(spooled(join(scratch, 'spool'))).toEqual({ audit: [], rejected: [] });
  });

  it('stores what it is given, within bounds, for the auditors to read', async () => {
    const t = trail();
    const id = randomUUID();
    t.record(
      input({
        id,
        caller: null,
        outcome: 'REFUSED',
        reason: 'UNAUTHENTICATED',
        errorCodes: ['UNAUTHENTICATED'],
        ...requestFieldsOf({ query: '{ a }', variables: { x: 1 } }),
        operationName: `Long${'n'.repeat(1000)}\u0000`,
        coordinates: Array.from({ length: 6000 }, (_, i) => `Type${i}.${'f'.repeat(300)}`),
      }),
    );
    await t.flush();
    const row = await audit.running.prisma.auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      subject: null,
      agency: null,
      country: null,
      outcome: 'REFUSED',
      reason: 'UNAUTHENTICATED',
      errorCodes: ['UNAUTHENTICATED'],
      operationHash: documentHash('{ a }'),
      variablesHash: variablesHash({ x: 1 }),
      gateway: 'gateway-test',
    });
    expect(row.operationName).toHaveLength(AUDIT_FIELD_LIMITS.operationName);
    expect(row.coordinates).toHaveLength(AUDIT_FIELD_LIMITS.coordinates);
  });

  it('spools what it cannot deliver while the audit subgraph is down, and the next trail delivers it once', async () => {
    const spoolDir = join(scratch, 'spool-outage');
    const first = trail({ spoolDir });
    const delivered = Array.from({ length: 300 }, () => randomUUID());
    for (const id of delivered) first.record(input({ id }));
    await first.flush();
    expect(await storedIds(delivered)).toHaveLength(300);

    const port = audit.port;
    await audit.stop();
    const undelivered = Array.from({ length: 700 }, () => randomUUID());
    for (const id of undelivered) first.record(input({ id }));
    // Long enough for several failed attempts and backoffs, short of the subgraph coming back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.pending).toBe(700);
    const stopStarted = Date.now();
    await first.stop(1_000);
    expect(Date.now() - stopStarted).toBeLessThan(2_000);
    expect(first.pending).toBe(0);
    expect(spooled(spoolDir).audit.sort()).toEqual([...undelivered].sort());
    // Recorded after stop: spooled at once, not lost.
    const late = randomUUID();
    first.record(input({ id: late }));
    expect(spooled(spoolDir).audit).toContain(late);

    audit = await startTestAuditSubgraph({ jwksPath: keys.internalJwksPath, dataDir: join(scratch, 'pglite'), port });
    const before = await audit.count();
    trail({ spoolDir });
    await waitFor(() => spooled(spoolDir).audit.length === 0);
    expect((await storedIds([...undelivered, late])).sort()).toEqual([...undelivered, late].sort());
    expect(await audit.count()).toBe(before + 701);
    // Delivered again (as after a crash before the file was removed): nothing is stored twice.
    const again = trail({ spoolDir });
    for (const id of delivered) again.record(input({ id }));
    await again.flush();
    expect(await audit.count()).toBe(before + 701);
  });

  it('past maxBuffered spools to disk and, once the subgraph is back, sends the spool without a restart', async () => {
    const spoolDir = join(scratch, 'spool-overflow');
    const t = trail({ spoolDir, maxBuffered: 100, batchSize: 50 });
    const port = audit.port;
    await audit.stop();
    const ids = Array.from({ length: 450 }, () => randomUUID());
    for (const id of ids) t.record(input({ id }));
    // Each overflow past 100 in memory went to a spool file; memory holds less than that.
    expect(t.pending).toBeLessThanOrEqual(100 + 50);
    expect(spooled(spoolDir).audit.length).toBeGreaterThanOrEqual(300);

    audit = await startTestAuditSubgraph({ jwksPath: keys.internalJwksPath, dataDir: join(scratch, 'pglite'), port });
    await waitFor(async () => (await storedIds(ids)).length === ids.length && spooled(spoolDir).audit.length === 0);
    expect((await storedIds(ids)).sort()).toEqual([...ids].sort());
  });

  it('keeps to the stop deadline when the audit subgraph takes a batch and never answers', async () => {
    const spoolDir = join(scratch, 'spool-hanging');
    const held: ServerResponse[] = [];
    const hanging = createServer((_req, res) => held.push(res));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const t = trail({ url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, spoolDir });
      const ids = Array.from({ length: 10 }, () => randomUUID());
      for (const id of ids) t.record(input({ id }));
      await waitFor(() => held.length > 0);
      const started = Date.now();
      await t.stop(500);
      // The POST under way (its own timeout is 10 s) was cut off at the deadline.
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(spooled(spoolDir).audit.sort()).toEqual([...ids].sort());
    } finally {
      for (const res of held) res.destroy();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('isolates an event the subgraph refuses, keeps it as rejected, and stores the rest of its batch', async () => {
    const spoolDir = join(scratch, 'spool-rejected');
    const t = trail({ spoolDir });
    const good = Array.from({ length: 9 }, () => randomUUID());
    const bad = randomUUID();
    for (const id of good.slice(0, 4)) t.record(input({ id }));
    // Not something the gateway's own events can be (toWire keeps within bounds); here a version
    // skew is simulated: the subgraph refuses a time in the far future.
    t.record(input({ id: bad, occurredAt: new Date('+100000-01-01T00:00:00Z') }));
    for (const id of good.slice(4)) t.record(input({ id }));
    await t.flush();
    expect((await storedIds([...good, bad])).sort()).toEqual([...good].sort());
    expect(spooled(spoolDir).rejected).toEqual([bad]);
  });

  describe('its Apollo Server plugin', () => {
    const typeDefs = `
      type Query { port(code: ID!): Port, ports(first: Int): [Port!]!, secret: String, broken: String!, me: String }
      type Port { code: ID!, name: String!, flaky: String }
    `;
    const ports = [{ code: 'ELP', name: 'El Paso' }];
    const resolvers = {
      Query: {
        port: (_: unknown, { code }: { code: string }) => ports.find((p) => p.code === code) ?? null,
        ports: () => ports,
        secret: () => {
          throw new GraphQLError('not for you', { extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE } });
        },
        broken: () => {
          throw new Error('database on fire');
        },
        me: (_: unknown, __: unknown, context: { caller?: Caller }) => context.caller?.subject ?? null,
      },
      Port: {
        flaky: () => {
          throw new GraphQLError('unavailable', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
        },
      },
    };

    const server = (plugins: ApolloServerPlugin<BaseContext>[] = []) =>
      new ApolloServer<{ caller?: Caller }>({ typeDefs, resolvers, plugins, logger: silentLogger });

    it('records one event per request: caller, hashes, coordinates, outcome and reason', async () => {
      const t = trail();
      const apollo = server([t.plugin]);
      await apollo.start();
      const run = async (request: Parameters<typeof apollo.executeOperation>[0], caller?: Caller) => {
        await apollo.executeOperation(request, { contextValue: caller ? { caller } : {} });
      };
      const ok = 'query Port($code: ID!) { port(code: $code) { code name } }';
      await run({ query: ok, variables: { code: 'ELP' }, operationName: 'Port' }, STAFF);
      await run({ query: '{ ports { code flaky } }' });
      await run({ query: '{ ports { code } secret }' });
      await run({ query: '{ broken }' });
      await run({ query: '{ ports { nope } }' });
      await run({ query: '{ ports {' });
      await run({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash('{ me }') } } });
      await t.flush();

      const rows = await audit.running.prisma.auditEvent.findMany({
        where: { gateway: 'gateway-test', occurredAt: { gte: new Date(Date.now() - 60_000) } },
        orderBy: { occurredAt: 'asc' },
      });
      const byHash = (query: string) => rows.filter((row) => row.operationHash === documentHash(query));
      expect(byHash(ok)).toEqual([
        expect.objectContaining({
          subject: 'jdoe',
          agency: 'CBP',
          country: 'US',
          operationName: 'Port',
          coordinates: ['Port.code', 'Port.name', 'Query.port'],
          variablesHash: variablesHash({ code: 'ELP' }),
          outcome: 'OK',
          reason: null,
          errorCodes: [],
        }),
      ]);
      expect(byHash('{ ports { code flaky } }')).toEqual([
        expect.objectContaining({
          subject: null,
          outcome: 'PARTIAL',
          reason: 'SUBGRAPH_UNAVAILABLE',
          coordinates: ['Port.code', 'Port.flaky', 'Query.ports'],
          variablesHash: null,
        }),
      ]);
      expect(byHash('{ ports { code } secret }')).toEqual([
        expect.objectContaining({ outcome: 'REFUSED', reason: 'UNAUTHORIZED_FIELD_OR_TYPE' }),
      ]);
      expect(byHash('{ broken }')).toEqual([
        expect.objectContaining({ outcome: 'ERROR', reason: 'INTERNAL_SERVER_ERROR', coordinates: ['Query.broken'] }),
      ]);
      expect(byHash('{ ports { nope } }')).toEqual([
        expect.objectContaining({
          outcome: 'REFUSED',
          reason: 'GRAPHQL_VALIDATION_FAILED',
          coordinates: ['Query.ports'],
        }),
      ]);
      expect(byHash('{ ports {')).toEqual([
        expect.objectContaining({ outcome: 'REFUSED', reason: 'GRAPHQL_PARSE_FAILED', coordinates: [] }),
      ]);
      expect(rows.filter((row) => row.persistedQueryId === documentHash('{ me }'))).toEqual([
        expect.objectContaining({ outcome: 'REFUSED', operationHash: null }),
      ]);
      for (const row of rows) expect(row.durationMs).toBeGreaterThanOrEqual(0);
      await apollo.stop();
    });

    it('adds little to each request (micro-benchmark, printed, not asserted)', async () => {
      // The audit subgraph in a process of its own, as deployed: its storing the events is not
      // this process's time, but the gateway's side of delivering them (JSON, HTTP) is.
      const separate = await spawnTestAuditSubgraph({ jwksPath: keys.internalJwksPath });
      const t = trail({ url: separate.baseUrl });
      // The hooks themselves, timed around the trail's own plugin: what a request waits for. Both
      // do their work synchronously (their promises are already resolved when they return).
      const hookMs: number[] = [];
      const timed: ApolloServerPlugin<BaseContext> = {
        requestDidStart: async (context) => {
          const begin = performance.now();
          const starting = t.plugin.requestDidStart!(context);
          let spent = performance.now() - begin;
          const listener = await starting;
          return {
            willSendResponse: async (sending) => {
              const at = performance.now();
              const sent = listener?.willSendResponse?.(sending);
              spent += performance.now() - at;
              hookMs.push(spent);
              await sent;
            },
          };
        },
      };
      const plain = server();
      const audited = server([timed]);
      await Promise.all([plain.start(), audited.start()]);
      const query = `query Ports($first: Int, $code: ID!) {
        ports(first: $first) { ...P }
        port(code: $code) { ...P }
      }
      fragment P on Port { code name }`;
      const once = (apollo: ApolloServer<{ caller?: Caller }>, i: number) =>
        apollo.executeOperation(
          { query, variables: { first: i % 20, code: 'ELP' }, operationName: 'Ports' },
          { contextValue: { caller: STAFF } },
        );
      const time = async (apollo: ApolloServer<{ caller?: Caller }>, n: number) => {
        const start = performance.now();
        for (let i = 0; i < n; i++) await once(apollo, i);
        return performance.now() - start;
      };
      await time(plain, 500);
      await time(audited, 500);
      hookMs.length = 0;
      const rounds = 20;
      const perRound = 250;
      const plainMs: number[] = [];
      const auditedMs: number[] = [];
      for (let round = 0; round < rounds; round++) {
        plainMs.push(await time(plain, perRound));
        auditedMs.push(await time(audited, perRound));
      }
      await t.stop(10_000);
      await separate.stop();
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      const quantile = (values: number[], q: number) => sorted(values)[Math.floor((values.length - 1) * q)]!;
      const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
      const plainReq = quantile(plainMs, 0.5) / perRound;
      const auditedReq = quantile(auditedMs, 0.5) / perRound;
      process.stderr.write(
        [
          `audit plugin micro-benchmark (${hookMs.length} requests, in-process executeOperation, the audit subgraph in its own process):`,
          `  hooks per request: median ${us(quantile(hookMs, 0.5))}, p99 ${us(quantile(hookMs, 0.99))}, ` +
            `mean ${us(hookMs.reduce((a, b) => a + b, 0) / hookMs.length)}`,
          `  whole request, medians of ${rounds} rounds: without ${us(plainReq)}, with ${us(auditedReq)}, ` +
            `difference ${us(auditedReq - plainReq)} (delivery's share of the event loop included; noisy on a busy machine)`,
          '',
        ].join('\n'),
      );
      await Promise.all([plain.stop(), audited.stop()]);
      expect(hookMs).toHaveLength(rounds * perRound);
    }, 180_000);
  });
});
