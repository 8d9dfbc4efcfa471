import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS, ErrorCode, Scope, type Caller } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import express from 'express';
import { parse } from 'graphql';
import { exportJWK, generateKeyPair } from 'jose';
import { persistedBody } from '../../ide/src/persisted';
import { readEnv } from '../env';
import { earlyAnswers } from '../earlyAnswers';
import { readExamples } from '../ide/examples';
import { answerKey, ANY_SUBGRAPH, MemoryResponseCacheStore, responseCachePlugin } from '../responseCache';
import {
  loadPersistedOperations,
  onlyIntrospects,
  parsePersistedOperations,
  PersistedOperationsLoadError,
  safelist,
  safelistVerdict,
  type PersistedOperations,
} from '../safelist';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const WRITER: Caller = { subject: 'cbp-1', agency: 'CBP', country: 'US', scopes: [Scope.BORDER_TRADE_WRITE] };
const ANALYST: Caller = { subject: 'dhs-1', agency: 'DHS', country: 'US', scopes: [Scope.ANALYST] };

/** The committed manifest, as the gateway reads it by default. */
const committed = loadPersistedOperations(readEnv({}).PERSISTED_OPERATIONS_PATH);
const operation = (name: string) => [...committed.byId.values()].find((o) => o.name === name)!;

describe('the persisted operations', () => {
  it('are read from schema/persisted-operations.json by default, each under the SHA-256 of its body', () => {
    expect(readEnv({}).PERSISTED_OPERATIONS_PATH).toMatch(/schema\/persisted-operations\.json$/);
    expect(committed.byId.size).toBeGreaterThan(20);
    for (const [id, entry] of committed.byId) expect(sha256(entry.body)).toBe(id);
    // The ingest's texts and the IDE's examples are among them.
    expect(operation('IngestIntrospection').type).toBe('query');
    expect(operation('IngestDrugSeizures').type).toBe('mutation');
    expect(operation('DashboardProgress').type).toBe('query');
  });

  it('refuse a manifest in another format, or with an id that is not the hash of its body', () => {
    const body = 'query A {\n  goals {\n    id\n  }\n}';
    const manifest = (operations: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations, ...extra });
    expect(parsePersistedOperations(manifest([{ id: sha256(body), name: 'A', type: 'query', body }])).byId.size).toBe(
      1,
    );
    expect(() => parsePersistedOperations(manifest([{ id: sha256('other'), name: 'A', type: 'query', body }]))).toThrow(
      `operation A has id ${sha256('other')}, not the sha256 of its body`,
    );
    expect(() => parsePersistedOperations(manifest([], { version: 2 }))).toThrow(
      'not an apollo-persisted-query-manifest, version 1: version: Invalid input: expected 1',
    );
    expect(() => parsePersistedOperations('{')).toThrow(/^not JSON: /);
  });

  it('stop the start when the file is missing or unusable, naming it and what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bicentennial-safelist-'));
    try {
      expect(() => loadPersistedOperations(join(dir, 'missing.json'))).toThrow(
        new PersistedOperationsLoadError(
          `no persisted operations at ${join(dir, 'missing.json')}: run \`npm run operations\`, set PERSISTED_OPERATIONS_PATH, or SAFELIST=off`,
        ),
      );
      writeFileSync(join(dir, 'bad.json'), '[]');
      expect(() => loadPersistedOperations(join(dir, 'bad.json'))).toThrow(
        /bad\.json is not an apollo-persisted-query-manifest, version 1: \(root\): /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hold every IDE example as the IDE sends it (persistedBody of the file), byte for byte', () => {
    const examples = readExamples();
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const body = persistedBody(example.query, example.name);
      expect({ name: example.name, body }).toEqual({ name: example.name, body: operation(example.name).body });
      // The file itself (comments, layout) is not a manifest body: sent as typed it would be ad hoc.
      expect(committed.byId.has(sha256(example.query))).toBe(false);
    }
    // An edited example is not one any longer; a document of two operations sends the one named.
    expect(persistedBody('query Other { goals { id } }')).toBe('query Other {\n  goals {\n    id\n  }\n}');
    expect(persistedBody('query A { goals { id } } query B { regions { code } }', 'B')).toBe(
      'query B {\n  regions {\n    code\n  }\n}',
    );
    expect(persistedBody('query A { goals { id } } query B { regions { code } }')).toBeNull();
    expect(persistedBody('{ not graphql')).toBeNull();
  });
});

describe('safelistVerdict', () => {
  const dashboard = operation('DashboardProgress');
  const byId = (id: string, query?: string) => ({
    query,
    extensions: { persistedQuery: { version: 1, sha256Hash: id } },
  });
  const adHoc = '{ goals { id } }';
  const verdict = (request: { query: unknown; extensions?: unknown }, caller: Caller) =>
    safelistVerdict({ extensions: undefined, ...request }, caller, committed, { maxTokens: 5000 });

  it('runs a manifest operation by its id for any caller, putting its body in as the query', () => {
    for (const caller of [ANONYMOUS, WRITER, ANALYST]) {
      expect(verdict(byId(dashboard.id), caller)).toEqual({
        allowed: true,
        operation: dashboard,
        body: dashboard.body,
      });
      // Sent with its text too (an APQ client registering it): the text is the operation already.
      expect(verdict(byId(dashboard.id, dashboard.body), caller)).toEqual({ allowed: true, operation: dashboard });
      // The exact text alone is the operation as well.
      expect(verdict({ query: dashboard.body }, caller)).toEqual({ allowed: true, operation: dashboard });
    }
  });

  it('with SAFELIST=off refuses nothing for not being listed, and still runs a manifest id as its body', () => {
    const off = (request: { query: unknown; extensions?: unknown }) =>
      safelistVerdict({ extensions: undefined, ...request }, ANONYMOUS, committed, { maxTokens: 5000 }, false);
    expect(off(byId(dashboard.id))).toEqual({ allowed: true, operation: dashboard, body: dashboard.body });
    expect(off({ query: adHoc })).toEqual({ allowed: true });
    expect(off(byId('0'.repeat(64)))).toEqual({ allowed: true });
  });

  it('refuses a hash sent with a query that does not hash to it, whoever asks', () => {
    for (const caller of [ANONYMOUS, WRITER, ANALYST]) {
      expect(verdict(byId(dashboard.id, `${dashboard.body} `), caller)).toMatchObject({
        allowed: false,
        code: 'BAD_REQUEST',
      });
      expect(verdict(byId(sha256('x'), dashboard.body), caller)).toMatchObject({ allowed: false, code: 'BAD_REQUEST' });
    }
  });

  it('refuses ad hoc text and unknown ids to a caller without graph:analyze, saying what to do', () => {
    expect(verdict({ query: adHoc }, ANONYMOUS)).toEqual({
      allowed: false,
      code: ErrorCode.QUERY_NOT_IN_SAFELIST,
      message:
        "This operation is not one of this graph's persisted operations, and only a caller with the graph:analyze " +
        'scope may run any other: send a persisted operation by its id (extensions.persistedQuery.sha256Hash) or ' +
        'its exact body, as the list of persisted operations holds it, or send a bearer token with graph:analyze.',
    });
    expect(verdict({ query: adHoc }, WRITER)).toMatchObject({
      code: ErrorCode.QUERY_NOT_IN_SAFELIST,
      message: expect.stringMatching(/, or use a token with graph:analyze\.$/),
    });
    // A manifest operation with other comments or layout is not its text: ad hoc.
    expect(verdict({ query: `# mine\n${dashboard.body}` }, WRITER)).toMatchObject({
      code: ErrorCode.QUERY_NOT_IN_SAFELIST,
    });
    const unknown = sha256(adHoc);
    for (const request of [byId(unknown), byId(unknown, adHoc)]) {
      expect(verdict(request, ANONYMOUS)).toEqual({
        allowed: false,
        code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
        message:
          `Persisted query ${unknown} is not in this graph's list of persisted operations, and only a caller with ` +
          'the graph:analyze scope may run or register any other: send the id of an operation of the list ' +
          '(extensions.persistedQuery.sha256Hash), or send a bearer token with graph:analyze.',
      });
      expect(verdict(request, WRITER)).toMatchObject({ code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST });
    }
    // What is no SHA-256 is not repeated in the message.
    expect(verdict(byId('x'.repeat(10_000)), ANONYMOUS)).toMatchObject({
      code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
      message: expect.stringMatching(/^Persisted query \(not a SHA-256\) is not in this graph's list/),
    });
    // A document that does not parse, or has more tokens than the parser reads, is not in the list either.
    expect(verdict({ query: '{ goals {' }, ANONYMOUS)).toMatchObject({ code: ErrorCode.QUERY_NOT_IN_SAFELIST });
    expect(
      safelistVerdict({ query: adHoc, extensions: undefined }, ANONYMOUS, committed, { maxTokens: 3 }),
    ).toMatchObject({ code: ErrorCode.QUERY_NOT_IN_SAFELIST });
  });

  it('lets graph:analyze run anything: ad hoc text, unknown ids, APQ registrations', () => {
    const unknown = sha256(adHoc);
    for (const request of [{ query: adHoc }, byId(unknown), byId(unknown, adHoc)]) {
      expect(verdict(request, ANALYST)).toEqual({ allowed: true });
    }
  });

  it('leaves introspection to the introspection guard, and requests without a document to Apollo Server', () => {
    for (const query of [
      '{ __typename }',
      'query IntrospectionQuery { __schema { queryType { name } } }',
      '{ ...F } fragment F on Query { __type(name: "Query") { name } __typename }',
      operation('IngestIntrospection').body,
    ]) {
      expect(verdict({ query }, ANONYMOUS).allowed).toBe(true);
    }
    // Introspection beside data is not introspection; nor is a mutation, nor an unknown fragment.
    for (const query of [
      '{ __typename goals { id } }',
      '{ ...F } fragment F on Query { __schema { queryType { name } } goals { id } }',
      'mutation { __typename }',
      '{ ...Missing }',
      '{ __typename } query Data { goals { id } }',
    ]) {
      expect(verdict({ query }, ANONYMOUS)).toMatchObject({ code: ErrorCode.QUERY_NOT_IN_SAFELIST });
    }
    // Registering an APQ, introspection or not, is for graph:analyze.
    expect(verdict(byId(sha256('{ __typename }'), '{ __typename }'), ANONYMOUS)).toMatchObject({
      code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
    });
    expect(verdict({ query: undefined }, ANONYMOUS)).toEqual({ allowed: true });
    expect(onlyIntrospects(parse('{ ...A } fragment A on Query { ...A __typename }'))).toBe(true);
  });
});

/**
 * The middleware on a real Express app, in front of the real early-answer path with a memory
 * store that holds an answer for the public: what it refuses never reaches the stored answer.
 */
describe('the safelist middleware', () => {
  const store = new MemoryResponseCacheStore({ caching: true, maxEntries: 10, maxBytes: 1 << 20 });
  const refusals: string[] = [];
  const handedOn: { method: string; body: unknown; query: string | null }[] = [];
  const callers = new Map<string, Caller>([
    ['public', ANONYMOUS],
    ['writer', WRITER],
    ['analyst', ANALYST],
  ]);
  const adHoc = 'query Goals { goals { id } }';
  const dashboard = operation('DashboardProgress');
  const stored = (data: string) => ({
    data,
    storedAt: Date.now(),
    maxAge: 60,
    versions: { [ANY_SUBGRAPH]: 0, framework: 0 },
    operation: { name: 'Goals', coordinates: ['Goal.id', 'Query.goals'] },
  });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // Stored for the public (as a gateway with SAFELIST=off sharing the cache in Redis would have).
    await store.save(answerKey('sg', sha256(adHoc), null, null, ANONYMOUS, 'EN'), stored('{"goals":[{"id":"1"}]}'));
    await store.save(answerKey('sg', dashboard.id, null, null, ANONYMOUS, 'EN'), stored('{"goals":[]}'));
    const operations: PersistedOperations = committed;
    const app = express();
    app.use(express.json(), (req, res, next) => {
      res.locals['caller'] = callers.get(req.get('x-caller') ?? 'public');
      res.locals['arrived'] = performance.now();
      res.locals['arrivedAt'] = new Date();
      next();
    });
    app.use(
      '/graphql',
      safelist({ operations, refused: (_req, _res, code) => refusals.push(code), parseOptions: { maxTokens: 5000 } }),
      earlyAnswers({
        cache: responseCachePlugin({
          store,
          caching: true,
          dedupe: false,
          supergraphId: () => 'sg',
          logger: silentLogger,
        }),
        trail: { record: () => undefined },
        telemetry: { answeredEarly: () => undefined },
      }),
      (req, res) => {
        handedOn.push({
          method: req.method,
          body: req.body as unknown,
          query: new URLSearchParams(req.url.split('?')[1] ?? '').get('query'),
        });
        res.status(299).json({ handedOn: true });
      },
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });
  beforeEach(() => {
    refusals.length = 0;
    handedOn.length = 0;
  });

  const post = (body: unknown, caller = 'public', accept = 'application/json') =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, 'x-caller': caller },
      body: JSON.stringify(body),
    });

  it('refuses ad hoc text to the public (401) before the stored answer is served, under both media types', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await post({ query: adHoc }, 'public', accept);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('x-cache')).toBeNull();
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors.map((e) => e.extensions.code)).toEqual([ErrorCode.QUERY_NOT_IN_SAFELIST]);
      expect(body.errors[0]!.message).toMatch(/graph:analyze/);
    }
    expect(refusals).toEqual([ErrorCode.QUERY_NOT_IN_SAFELIST, ErrorCode.QUERY_NOT_IN_SAFELIST]);
    expect(handedOn).toEqual([]);
  });

  it('refuses an unknown id to a writer (403), and a batch with one bad operation as a whole', async () => {
    const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(adHoc) } } }, 'writer');
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('www-authenticate')).toBeNull();
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
    );
    const batch = await post([{ query: dashboard.body }, { query: adHoc }, { query: dashboard.body }], 'writer');
    expect(batch.status).toBe(403);
    expect(await batch.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Operation 2 of the batch \(none of which was run\): This operation is not/),
          extensions: { code: ErrorCode.QUERY_NOT_IN_SAFELIST, index: 1 },
        },
      ],
    });
    expect(refusals).toEqual([ErrorCode.PERSISTED_QUERY_NOT_IN_LIST, ErrorCode.QUERY_NOT_IN_SAFELIST]);
    expect(handedOn).toEqual([]);
  });

  it('refuses a hash that does not match its query with 400', async () => {
    const response = await post(
      { query: adHoc, extensions: { persistedQuery: { version: 1, sha256Hash: dashboard.id } } },
      'analyst',
    );
    expect(response.status).toBe(400);
    expect(refusals).toEqual(['BAD_REQUEST']);
  });

  it('runs an id as its body, which the early path answers under the key of that hash', async () => {
    const response = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: dashboard.id } } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('HIT');
    expect(await response.text()).toBe('{"data":{"goals":[]}}\n');
    expect(refusals).toEqual([]);
  });

  it('hands on what it allows, the body of an id put in (a batch, and a GET)', async () => {
    const id = { persistedQuery: { version: 1, sha256Hash: dashboard.id } };
    expect((await post([{ extensions: id }, { query: adHoc }], 'analyst')).status).toBe(299);
    expect((await post({ query: '{ __typename }' }, 'public')).status).toBe(299);
    const get = await fetch(
      `${url}?extensions=${encodeURIComponent(JSON.stringify(id))}&operationName=DashboardProgress`,
    );
    expect(get.status).toBe(299);
    const refusedGet = await fetch(`${url}?query=${encodeURIComponent(adHoc)}`, { headers: { 'x-caller': 'writer' } });
    expect(refusedGet.status).toBe(403);
    expect(handedOn).toEqual([
      { method: 'POST', body: [{ extensions: id, query: dashboard.body }, { query: adHoc }], query: null },
      { method: 'POST', body: { query: '{ __typename }' }, query: null },
      { method: 'GET', body: undefined, query: dashboard.body },
    ]);
    expect(refusals).toEqual([ErrorCode.QUERY_NOT_IN_SAFELIST]);
  });
});

describe('SAFELIST', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bicentennial-safelist-keys-'));
  let production: Record<string, string>;
  beforeAll(async () => {
    // Key files as an operator deploys them: the production profile refuses to start without them.
    const issuer = await generateKeyPair('ES256', { extractable: true });
    const internal = await generateKeyPair('EdDSA', { extractable: true });
    writeFileSync(
      join(dir, 'issuer.jwks.json'),
      JSON.stringify({ keys: [{ ...(await exportJWK(issuer.publicKey)), kid: 'idp-1', alg: 'ES256' }] }),
    );
    writeFileSync(
      join(dir, 'internal.json'),
      JSON.stringify({ ...(await exportJWK(internal.privateKey)), kid: 'gateway-1', alg: 'EdDSA' }),
    );
    production = {
      PROFILE: 'production',
      AUTH_JWKS_PATH: join(dir, 'issuer.jwks.json'),
      AUTH_ISSUER: 'https://idp.example.gob',
      AUTH_AUDIENCE: 'bicentennial-graph',
      INTERNAL_SIGNING_KEY_PATH: join(dir, 'internal.json'),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is enforce under the production profile and off in development, unless set', () => {
    expect(readEnv({}).SAFELIST).toBe('off');
    expect(readEnv({ SAFELIST: 'enforce' }).SAFELIST).toBe('enforce');
    expect(readEnv(production).SAFELIST).toBe('enforce');
    expect(readEnv({ ...production, SAFELIST: 'off' }).SAFELIST).toBe('off');
    expect(() => readEnv({ SAFELIST: 'on' })).toThrow(/SAFELIST="on": must be enforce or off/);
    expect(readEnv({ PERSISTED_OPERATIONS_PATH: '/srv/ops.json' }).PERSISTED_OPERATIONS_PATH).toBe('/srv/ops.json');
    const manifest = readFileSync(readEnv({}).PERSISTED_OPERATIONS_PATH, 'utf8');
    expect(JSON.parse(manifest)).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
  });
});
