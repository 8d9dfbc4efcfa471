import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ALL_SCOPES } from '@bicentennial/schema';
import type { RunningGateway } from '@bicentennial/gateway';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { DASHBOARD, expectCompleteDashboard, SINALOA_WALK, type DashboardData } from '../operations';

const REDIS_URL = 'redis://127.0.0.1:6379';

interface Answer<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function ask<T = Record<string, unknown>>(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown> } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, ...(options.variables ? { variables: options.variables } : {}) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer<T>['body'] };
}

/** The indicators of objective 2.2.1 (firearms) with their latest values: what a write below changes. */
const OBJECTIVE_VALUES = `#graphql
query ObjectiveValues { objective(id: "2.2.1") { id indicators { id observations { period value } } } }`;
type ObjectiveValues = {
  objective: { id: string; indicators: { id: string; observations: { period: string; value: number }[] | null }[] };
};

const SUBMIT = `#graphql
mutation Submit($input: ObservationInput!, $submission: SubmissionInput!) {
  submitFirearmsObservation(input: $input, submission: $submission) { period value }
}`;

const periodsOf = (answer: Answer<ObjectiveValues>, indicatorId: string) =>
  answer.body
    .data!.objective.indicators.find((i) => i.id === indicatorId)!
    .observations!.map((o) => `${o.period}=${o.value}`);

/**
 * The gateway's response cache over the real subgraphs, in memory (the default) and in Redis
 * (REDIS_URL: shared by replicas). What it must never do: serve one access class's answer to
 * another, serve an answer a write has changed, or keep a record.
 */
describe.each([
  ['in memory', false],
  ['in Redis', true],
])('the response cache %s', (_name, redis) => {
  const prefix = `bicentennial-test:response-cache:${randomUUID()}:`;
  const cacheEnv: Record<string, string> = redis ? { REDIS_URL, RESPONSE_CACHE_KEY_PREFIX: prefix } : {};
  let graph: InProcessGraph;
  let url: string;
  let usStaff: string;
  let otherUsStaff: string;
  let mexicanStaff: string;
  let writer: string;
  let indicatorId: string;
  let sourceId: string;
  let serial = 0;

  /** Submits a firearms value for 2.2.1's first indicator, released to `releasableTo`. */
  const submit = async (period: string, value: number, releasableTo: 'BOTH' | 'US' | 'MX', via = url) => {
    const answer = await ask(via, SUBMIT, {
      token: writer,
      variables: {
        input: {
          indicatorId,
          period,
          periodKind: 'CALENDAR_YEAR',
          value,
          region: 'MX',
          status: 'FINAL',
          sourceId,
          releasableTo,
        },
        submission: { idempotencyKey: `cache-test-${randomUUID()}-${serial++}` },
      },
    });
    expect(answer.body.errors).toBeUndefined();
    // A write is never cached, nor may an HTTP cache keep its answer.
    expect(answer.headers.get('cache-control')).toBe('no-store');
    return answer;
  };

  beforeAll(async () => {
    graph = await startInProcessGraph({ gatewayEnv: cacheEnv });
    url = graph.gatewayUrl;
    const staff = (subject: string, country: 'US' | 'MX', agency: string) =>
      graph.token({ subject, agency, country, scopes: [...ALL_SCOPES] });
    usStaff = await staff('analyst-1', 'US', 'ATF');
    otherUsStaff = await staff('analyst-2', 'US', 'ATF');
    mexicanStaff = await staff('analista-1', 'MX', 'FGR');
    writer = await staff('writer-1', 'US', 'ATF');
    const first = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES);
    indicatorId = first.body.data!.objective.indicators[0]!.id;
    const sources = await graph.handles.firearms.prisma.source.findFirst({ where: { kind: 'OFFICIAL' } });
    sourceId = sources!.id;
  }, 240_000);
  afterAll(async () => {
    await graph?.stop();
    if (redis) {
      const client = new Redis(REDIS_URL);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  });

  it('answers a repeated public Dashboard from the cache: a HIT with its age, the same data, no subgraph request', async () => {
    const first = await ask<DashboardData>(url, DASHBOARD);
    expect(first.body.errors).toBeUndefined();
    expectCompleteDashboard(first.body.data);
    graph.resetRequests();
    const second = await ask<DashboardData>(url, DASHBOARD);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(second.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    expect(second.body).toEqual(first.body);
    expect(Object.fromEntries(graph.requests)).toEqual({});
  });

  it('serves a hit before the GraphQL pipeline exactly as Apollo Server answers: the same bytes, headers and audit event', async () => {
    // A document of its own (a comment changes its hash), so that its first answer is a MISS.
    const query = `${OBJECTIVE_VALUES}\n# served early`;
    const variables = { unused: 'kept in the key' };
    const raw = async (token: string, accept?: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          // Bytes as sent, unencoded: a compressed miss has no Content-Length (compression streams
          // it) while a compressed hit has one (encodedBodies.ts; tested in http.test.ts).
          'accept-encoding': 'identity',
          ...(accept ? { accept } : {}),
        },
        body: JSON.stringify({ query, operationName: 'ObjectiveValues', variables }),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    const first = await raw(usStaff);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    graph.resetRequests();
    const hit = await raw(otherUsStaff);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(Object.fromEntries(graph.requests)).toEqual({});
    // Byte for byte: Express's ETag of Apollo's body is the ETag of the stored one.
    expect(hit.text).toBe(first.text);
    expect(hit.headers.get('etag')).toBe(first.headers.get('etag'));
    for (const header of ['content-type', 'cache-control', 'content-length'])
      expect([header, hit.headers.get(header)]).toEqual([header, first.headers.get(header)]);
    expect(hit.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
    // The content type is negotiated as Apollo Server does it.
    const graphqlResponse = await raw(otherUsStaff, 'application/graphql-response+json');
    expect(graphqlResponse.headers.get('x-cache')).toBe('HIT');
    expect(graphqlResponse.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(graphqlResponse.text).toBe(first.text);
    // A media type no GraphQL answer is written in: refused before anything runs.
    const refused = await raw(otherUsStaff, 'text/csv');
    expect(refused.status).toBe(406);
    expect(refused.headers.get('x-cache')).toBeNull();
    expect(JSON.parse(refused.text)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });

    // Recorded as Apollo Server records an answer: the same audit event, but for who asked.
    await graph.gateway.audit.flush();
    const events = await graph.handles.audit.prisma.auditEvent.findMany({
      where: { subject: { in: ['analyst-1', 'analyst-2'] }, operationHash: { not: null } },
      orderBy: { occurredAt: 'asc' },
    });
    const fields = (subject: string) =>
      events
        .filter((event) => event.subject === subject)
        .map(({ operationName, operationHash, persistedQueryId, coordinates, variablesHash, outcome }) => ({
          operationName,
          operationHash,
          persistedQueryId,
          coordinates,
          variablesHash,
          outcome,
        }));
    const missed = fields('analyst-1').filter((event) => event.operationHash === fields('analyst-2')[0]?.operationHash);
    expect(missed).toHaveLength(1);
    expect(missed[0]!.coordinates).toEqual(expect.arrayContaining(['Query.objective', 'Indicator.observations']));
    expect(missed[0]!.variablesHash).not.toBeNull();
    // The two early hits (JSON, graphql-response+json), and the 406 as refused.
    expect(fields('analyst-2').filter((event) => event.outcome === 'OK')).toEqual([missed[0], missed[0]]);
    const notAcceptable = events.filter((event) => event.subject === 'analyst-2' && event.outcome === 'REFUSED');
    expect(notAcceptable.map((event) => [event.reason, event.operationHash])).toEqual([
      ['BAD_REQUEST', missed[0]!.operationHash],
    ]);
  });

  it('keeps access classes apart: a value released to the United States only is never served to the public or to Mexico', async () => {
    await submit('2041', 41, 'US');
    const us = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES, { token: usStaff });
    expect(us.headers.get('x-cache')).toBe('MISS');
    // A verified caller's answer is for its class: no shared HTTP cache may keep it.
    expect(us.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
    expect(periodsOf(us, indicatorId)).toContain('2041=41');
    // Another caller of the same class (another U.S. analyst of the same agency) shares the entry.
    const sameClass = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES, { token: otherUsStaff });
    expect(sameClass.headers.get('x-cache')).toBe('HIT');
    expect(sameClass.body).toEqual(us.body);
    for (const token of [undefined, mexicanStaff, undefined]) {
      const other = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES, token ? { token } : {});
      expect(other.body.errors).toBeUndefined();
      expect(periodsOf(other, indicatorId)).not.toContain('2041=41');
    }
    const mexico = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES, { token: mexicanStaff });
    expect(mexico.headers.get('x-cache')).toBe('HIT');
    expect(periodsOf(mexico, indicatorId)).not.toContain('2041=41');
  });

  it('never serves an answer a write has changed: the next read after the write is a MISS with the new value', async () => {
    await ask(url, OBJECTIVE_VALUES);
    expect((await ask(url, OBJECTIVE_VALUES)).headers.get('x-cache')).toBe('HIT');
    await submit('2042', 42, 'BOTH');
    const after = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(periodsOf(after, indicatorId)).toContain('2042=42');
    // And the Dashboard, which reads firearms too.
    const dashboard = await ask<DashboardData>(url, DASHBOARD);
    expect(dashboard.headers.get('x-cache')).toBe('MISS');
  });

  it('never keeps records: an analyst walk across subgraphs is fetched again each time', async () => {
    for (let round = 0; round < 2; round++) {
      graph.resetRequests();
      const walk = await ask(url, SINALOA_WALK, { token: usStaff });
      expect(walk.body.errors).toBeUndefined();
      expect(walk.headers.get('x-cache')).toBe('UNCACHEABLE');
      expect(walk.headers.get('cache-control')).toBe('no-store');
      expect(graph.requests.get('finance')).toBeGreaterThanOrEqual(1);
    }
  });

  it('shares one answer among identical queries in flight, with the cache off', async () => {
    const replica = await graph.startGateway({ ...cacheEnv, RESPONSE_CACHE: 'off' });
    graph.resetRequests();
    const answers = await Promise.all(Array.from({ length: 8 }, () => ask<DashboardData>(replica.url, DASHBOARD)));
    for (const answer of answers) {
      expect(answer.body).toEqual(answers[0]!.body);
      expect(['UNCACHEABLE', 'SHARED']).toContain(answer.headers.get('x-cache'));
    }
    expectCompleteDashboard(answers[0]!.body.data);
    expect(answers.filter((a) => a.headers.get('x-cache') === 'SHARED').length).toBeGreaterThanOrEqual(1);
    expect(graph.requests.get('framework')).toBeLessThan(8);
    // Cache off: nothing was kept.
    expect((await ask(replica.url, DASHBOARD)).headers.get('x-cache')).toBe('UNCACHEABLE');
  });

  if (redis) {
    it('is shared by replicas: one caches, a write through another invalidates it for both', async () => {
      const replica: RunningGateway = await graph.startGateway(cacheEnv);
      await ask(url, OBJECTIVE_VALUES);
      expect((await ask(replica.url, OBJECTIVE_VALUES)).headers.get('x-cache')).toBe('HIT');
      await submit('2043', 43, 'BOTH', replica.url);
      const after = await ask<ObjectiveValues>(url, OBJECTIVE_VALUES);
      expect(after.headers.get('x-cache')).toBe('MISS');
      expect(periodsOf(after, indicatorId)).toContain('2043=43');
    });
  }
});
