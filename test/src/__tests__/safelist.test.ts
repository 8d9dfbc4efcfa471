import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningGateway } from '@bicentennial/gateway';
import { DEFAULT_PERSISTED_OPERATIONS_PATH } from '@bicentennial/gateway/env';
import { ErrorCode, Scope } from '@bicentennial/schema';
import { createTestKeys, type TestKeys } from '@bicentennial/testing';
import { ingest, INTROSPECTION_QUERY, mutationText } from '@bicentennial/tools/ingest';
import { Redis } from 'ioredis';
import { drugSeizureFile } from '../bench/run';
import { requestBody, SEIZURE_PAGE, WORKLOAD_DEFINITIONS } from '../bench/harness/workloads';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { DASHBOARD, type GraphQLResponse } from '../operations';

const REDIS_URL = 'redis://127.0.0.1:6379';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface ManifestOperation {
  id: string;
  name: string;
  type: string;
  body: string;
}
const manifest = (
  JSON.parse(readFileSync(DEFAULT_PERSISTED_OPERATIONS_PATH, 'utf8')) as { operations: ManifestOperation[] }
).operations;
const persisted = (name: string): ManifestOperation => {
  const found = manifest.find((o) => o.name === name);
  if (!found) throw new Error(`${name} is not in the manifest`);
  return found;
};
const byId = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });

interface Answer<T> {
  status: number;
  headers: Headers;
  body: GraphQLResponse<T>;
}

/** POSTs a GraphQL request body (one operation or a batch) as the caller of `token` (none: the public). */
async function ask<T = Record<string, unknown>>(
  url: string,
  body: unknown,
  token?: string,
  accept = 'application/json',
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T> };
}

const codesOf = (answer: Answer<unknown>) => answer.body.errors?.map((e) => e.extensions?.['code']);

/**
 * The gateway under PROFILE=production (keys of its own, as an operator configures them; the
 * subgraphs trust its internal key) over the real subgraphs, with its default SAFELIST=enforce
 * and the response cache in Redis, shared with replicas started beside it.
 */
describe('the persisted-operation safelist under the production profile', () => {
  const prefix = `bicentennial-test:safelist:${randomUUID()}:`;
  let keys: TestKeys;
  let graph: InProcessGraph;
  let url: string;
  let scratch: string;
  /** graph:analyze (and audit:read, to read the trail), a CBP analyst of the United States. */
  let analyst: string;
  /** A CBP writer of the same country, without graph:analyze. */
  let writer: string;
  /** A replica that does not enforce the list (SAFELIST=off), sharing the Redis cache. */
  let unenforced: RunningGateway;

  beforeAll(async () => {
    keys = await createTestKeys();
    scratch = mkdtempSync(join(tmpdir(), 'bicentennial-safelist-'));
    graph = await startInProcessGraph({
      gatewayEnv: {
        PROFILE: 'production',
        AUTH_JWKS_PATH: keys.issuerJwksPath,
        AUTH_ISSUER: keys.issuer,
        AUTH_AUDIENCE: keys.audience,
        INTERNAL_SIGNING_KEY_PATH: keys.internalPrivatePath,
        REDIS_URL,
        RESPONSE_CACHE_KEY_PREFIX: prefix,
        AUDIT_FLUSH_INTERVAL_MS: '50',
      },
      subgraphEnv: { GATEWAY_JWKS_PATH: keys.internalJwksPath },
    });
    url = graph.gatewayUrl;
    analyst = await keys.mint({
      subject: 'cbp-analyst-1',
      agency: 'CBP',
      country: 'US',
      scopes: [Scope.ANALYST, Scope.AUDITOR],
    });
    writer = await keys.mint({
      subject: 'cbp-writer-1',
      agency: 'CBP',
      country: 'US',
      scopes: [Scope.BORDER_TRADE_WRITE],
    });
    unenforced = await graph.startGateway({ SAFELIST: 'off' });
  }, 240_000);
  afterAll(async () => {
    await graph?.stop();
    keys?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    const client = new Redis(REDIS_URL);
    const stored = await client.keys(`${prefix}*`);
    if (stored.length > 0) await client.del(...stored);
    await client.quit();
  });

  it('runs a persisted operation by its id for the public and a verified caller, as it runs ad hoc', async () => {
    const dashboard = persisted('Dashboard');
    // DASHBOARD as test/src/operations.ts writes it (its `#graphql` line and layout) is ad hoc text.
    expect(sha256(DASHBOARD)).not.toBe(dashboard.id);
    // A verified caller by id, and an analyst of the same agency and country ad hoc: one answer.
    const writerById = await ask(url, { extensions: byId(dashboard.id) }, writer);
    expect(writerById.status).toBe(200);
    expect(writerById.body.errors).toBeUndefined();
    const analystAdHoc = await ask(url, { query: DASHBOARD }, analyst);
    expect(analystAdHoc.status).toBe(200);
    expect(writerById.body.data).toEqual(analystAdHoc.body.data);
    // The public by id, and the public ad hoc where the list is not enforced: one answer.
    const publicById = await ask(url, { extensions: byId(dashboard.id) });
    expect(publicById.status).toBe(200);
    expect(publicById.body.errors).toBeUndefined();
    const publicAdHoc = await ask(unenforced.url, { query: DASHBOARD });
    expect(publicById.body.data).toEqual(publicAdHoc.body.data);

    const seizures = persisted('SeizurePage');
    const seizuresById = await ask<{ drugSeizures: { totalCount: number } }>(
      url,
      { extensions: byId(seizures.id) },
      writer,
    );
    expect(seizuresById.status).toBe(200);
    expect(seizuresById.body.errors).toBeUndefined();
    expect(seizuresById.body.data!.drugSeizures.totalCount).toBeGreaterThan(0);
    expect(seizuresById.body.data).toEqual((await ask(url, { query: SEIZURE_PAGE }, analyst)).body.data);

    // Over GET too, as APQ clients send a hashed query.
    const get = await fetch(`${url}?extensions=${encodeURIComponent(JSON.stringify(byId(dashboard.id)))}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as GraphQLResponse).data).toEqual(publicById.body.data);
  });

  it("runs a persisted operation's exact text for anyone, with its hash or without", async () => {
    const objective = persisted('Objective');
    const text = await ask<{ objective: { id: string } }>(url, { query: objective.body });
    expect(text.status).toBe(200);
    expect(text.body.data!.objective.id).toBe('2.2.1');
    const registered = await ask(url, { query: objective.body, extensions: byId(objective.id) }, writer);
    expect(registered.status).toBe(200);
    expect(registered.body.errors).toBeUndefined();
  });

  it('refuses ad hoc operations to the public (401) and to a writer (403), saying what to do; graph:analyze runs them', async () => {
    const query = '{ goals { id } }';
    graph.resetRequests();
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const anonymous = await ask(url, { query }, undefined, accept);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(anonymous.body).toEqual({
        errors: [
          {
            message:
              "This operation is not one of this graph's persisted operations, and only a caller with the " +
              'graph:analyze scope may run any other: send a persisted operation by its id ' +
              '(extensions.persistedQuery.sha256Hash) or its exact body, as the list of persisted operations ' +
              'holds it, or send a bearer token with graph:analyze.',
            extensions: { code: ErrorCode.QUERY_NOT_IN_SAFELIST },
          },
        ],
      });
      const forbidden = await ask(url, { query }, writer, accept);
      expect(forbidden.status).toBe(403);
      expect(codesOf(forbidden)).toEqual([ErrorCode.QUERY_NOT_IN_SAFELIST]);
      expect(forbidden.body.errors![0]!.message).toMatch(/or use a token with graph:analyze\.$/);
    }
    // Nothing reached a subgraph.
    expect(Object.fromEntries(graph.requests)).toEqual({});
    const allowed = await ask<{ goals: { id: string }[] }>(url, { query }, analyst);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data!.goals.length).toBeGreaterThan(0);
  });

  it('refuses an id not in the list, and a hash that does not match its query; APQ stays on for analysts', async () => {
    const query = '{ regions { code } }';
    const hash = sha256(query);
    const unknown = await ask(url, { extensions: byId(hash) });
    expect(unknown.status).toBe(401);
    expect(codesOf(unknown)).toEqual([ErrorCode.PERSISTED_QUERY_NOT_IN_LIST]);
    expect(unknown.body.errors![0]!.message).toContain(`Persisted query ${hash} is not in this graph's list`);
    expect(codesOf(await ask(url, { query, extensions: byId(hash) }, writer))).toEqual([
      ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
    ]);
    // An analyst's APQ round trip: not found, registered with its text, then run by its hash alone.
    expect(codesOf(await ask(url, { extensions: byId(hash) }, analyst))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await ask(url, { query, extensions: byId(hash) }, analyst)).body.errors).toBeUndefined();
    const apq = await ask<{ regions: unknown[] }>(url, { extensions: byId(hash) }, analyst);
    expect(apq.body.data!.regions.length).toBeGreaterThan(0);
    // Registered in the APQ cache, it is still not in the list for anyone else.
    expect(codesOf(await ask(url, { extensions: byId(hash) }, writer))).toEqual([
      ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
    ]);

    const mismatch = await ask(url, { query, extensions: byId(persisted('Dashboard').id) }, analyst);
    expect(mismatch.status).toBe(400);
    expect(codesOf(mismatch)).toEqual(['BAD_REQUEST']);
  });

  it('refuses a whole batch in which one operation is not in the list, running none of it', async () => {
    graph.resetRequests();
    const objective = persisted('Objective');
    const batch = await ask(url, [{ query: objective.body }, { query: '{ goals { id } }' }], writer);
    expect(batch.status).toBe(403);
    expect(batch.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Operation 2 of the batch \(none of which was run\): /),
        extensions: { code: ErrorCode.QUERY_NOT_IN_SAFELIST, index: 1 },
      },
    ]);
    expect(Object.fromEntries(graph.requests)).toEqual({});
    const allowed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: objective.body }, { extensions: byId(objective.id) }]),
    });
    expect(allowed.status).toBe(200);
    const answers = (await allowed.json()) as GraphQLResponse[];
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('never serves a stored answer to a request it refuses (the early-answer path)', async () => {
    // Stored for an analyst's access class: a second ask is a HIT, the public's is refused.
    const query = '{ goals { id title } }';
    expect((await ask(url, { query }, analyst)).status).toBe(200);
    expect((await ask(url, { query }, analyst)).headers.get('x-cache')).toBe('HIT');
    const refused = await ask(url, { query });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-cache')).toBeNull();

    // Stored for the public itself, by a replica that does not enforce the list, in the Redis
    // cache both share: the enforcing gateway still refuses it, and still serves a persisted
    // operation from the entry its text left, since the entry's key is the document's hash.
    const walk = '{ regions { code name } }';
    expect((await ask(unenforced.url, { query: walk })).status).toBe(200);
    expect((await ask(unenforced.url, { query: walk })).headers.get('x-cache')).toBe('HIT');
    const publicRefused = await ask(url, { query: walk });
    expect(publicRefused.status).toBe(401);
    expect(codesOf(publicRefused)).toEqual([ErrorCode.QUERY_NOT_IN_SAFELIST]);

    const progress = persisted('DashboardProgress');
    const warmed = await ask(unenforced.url, { query: progress.body });
    expect(warmed.status).toBe(200);
    expect(warmed.headers.get('x-cache')).toBe('MISS');
    const hit = await ask(url, { extensions: byId(progress.id) });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.body).toEqual(warmed.body);
  });

  it('audits each refusal with its code and caller', async () => {
    const subject = `safelist-audit-${randomUUID()}`;
    const caller = await keys.mint({ subject, agency: 'CBP', country: 'US', scopes: [Scope.FIREARMS_WRITE] });
    expect((await ask(url, { query: '{ goals { id } }', operationName: null }, caller)).status).toBe(403);
    expect((await ask(url, { extensions: byId(sha256(subject)) }, caller)).status).toBe(403);
    await graph.gateway.audit.flush();
    const events = await ask<{
      auditEvents: { nodes: { outcome: string; reason: string; errorCodes: string[]; agency: string }[] };
    }>(
      url,
      {
        query: `{ auditEvents(subject: "${subject}", first: 10) { nodes { outcome reason errorCodes agency persistedQueryId } } }`,
      },
      analyst,
    );
    expect(events.body.errors).toBeUndefined();
    expect(events.body.data!.auditEvents.nodes).toEqual(
      expect.arrayContaining([
        {
          outcome: 'REFUSED',
          reason: ErrorCode.QUERY_NOT_IN_SAFELIST,
          errorCodes: [ErrorCode.QUERY_NOT_IN_SAFELIST],
          agency: 'CBP',
          persistedQueryId: null,
        },
        {
          outcome: 'REFUSED',
          reason: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
          errorCodes: [ErrorCode.PERSISTED_QUERY_NOT_IN_LIST],
          agency: 'CBP',
          persistedQueryId: sha256(subject),
        },
      ]),
    );
    expect(events.body.data!.auditEvents.nodes).toHaveLength(2);
  });

  it('leaves introspection to the introspection guard: writers and analysts, and __typename for anyone', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const anonymous = await ask(url, { query: introspection });
    expect(anonymous.status).toBe(403);
    expect(codesOf(anonymous)).toEqual([ErrorCode.FORBIDDEN]);
    expect((await ask(url, { query: introspection }, writer)).body.data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expect((await ask(url, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it("runs npm run ingest's operations for a writer without graph:analyze: its texts are the manifest's", async () => {
    const introspection = persisted('IngestIntrospection');
    expect(INTROSPECTION_QUERY).toBe(introspection.body);
    const mutation = persisted('IngestDrugSeizures');
    expect(mutationText({ mutation: 'importDrugSeizures', inputType: 'DrugSeizureInput' })).toBe(mutation.body);
    const file = join(scratch, 'drug-seizures.csv');
    await drugSeizureFile(file, 'SAFELIST', 3);
    const problems: string[] = [];
    const report = await ingest({
      url,
      token: writer,
      subgraph: 'border-trade',
      file,
      batchSize: 2,
      dryRun: false,
      onProblem: (problem) => problems.push(problem),
    });
    expect(problems).toEqual([]);
    expect(report).toEqual({
      recordType: 'drug-seizures',
      rows: 3,
      problems: 0,
      inserted: 3,
      alreadyPresent: 0,
      written: true,
    });
    expect(
      await graph.handles.borderTrade.prisma.drugSeizure.count({ where: { recordId: { startsWith: 'SAFELIST-' } } }),
    ).toBe(3);
  });

  it('answers every benchmark workload as the benchmark sends it, to its callers without graph:analyze', async () => {
    for (const workload of Object.values(WORKLOAD_DEFINITIONS)) {
      const body = JSON.parse(requestBody(workload)) as { query: string };
      expect({ workload: workload.name, persisted: manifest.some((o) => o.id === sha256(body.query)) }).toEqual({
        workload: workload.name,
        persisted: true,
      });
      const answer = await ask(url, body, workload.caller === 'verified' ? writer : undefined);
      expect({ workload: workload.name, status: answer.status, errors: answer.body.errors }).toEqual({
        workload: workload.name,
        status: 200,
        errors: undefined,
      });
    }
    // The benchmark's readiness probe (harness/contenders.ts) is introspection: anyone's.
    expect((await ask(url, { query: '{ __typename }' })).status).toBe(200);
  });

  it('is off by default under the development profile, where manifest operations still run by id on /graphql and /csv', async () => {
    const development = await graph.startGateway({ PROFILE: 'development' });
    const answer = await ask<{ goals: unknown[] }>(development.url, { query: '{ goals { id } }' });
    expect(answer.status).toBe(200);
    expect(answer.body.data!.goals.length).toBeGreaterThan(0);
    // By id alone, never registered through APQ on this gateway (nor on any of its workers).
    // The gateway verifies with the production keys still: the analyst's token of this suite.
    const analystToken = analyst;
    const completed = persisted('CompletedExtraditions');
    const byItsId = await ask<{ extraditionCases: { totalCount: number } }>(
      development.url,
      { extensions: byId(completed.id) },
      analystToken,
    );
    expect([byItsId.status, byItsId.body.errors]).toEqual([200, undefined]);
    expect(byItsId.body.data!.extraditionCases.totalCount).toBeGreaterThan(10);
    const exported = await fetch(new URL('/csv', development.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analystToken}` },
      // The path names the connection's nodes: the export still pages the connection.
      body: JSON.stringify({ extensions: byId(completed.id), path: 'extraditionCases.nodes' }),
      signal: AbortSignal.timeout(60_000),
    });
    const csv = await exported.text();
    expect([exported.status, csv.split('\r\n')[0]]).toEqual([
      200,
      'person,surrenderedOn,requestingCountry,transferMechanism,organization.slug',
    ]);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(byItsId.body.data!.extraditionCases.totalCount + 1);
    // An unknown hash is APQ's, as before: not found, then registered with its text.
    const unknown = await ask(development.url, { extensions: byId('0'.repeat(64)) }, analystToken);
    expect(unknown.body.errors?.[0]?.extensions?.['code']).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
