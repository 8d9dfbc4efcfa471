import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { OBJECTIVE } from '../operations';

interface Answer {
  status: number;
  contentType: string | null;
  allow: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | unknown[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/** The two media types a GraphQL answer is written in, and the status each gives a request error. */
const MEDIA_TYPES = [
  { accept: 'application/json', contentType: JSON_TYPE, requestError: 200 },
  { accept: 'application/graphql-response+json', contentType: GRAPHQL_RESPONSE_TYPE, requestError: 400 },
] as const;

const codesOf = (answer: Answer) =>
  Array.isArray(answer.body) ? [] : (answer.body.errors?.map((e) => e.extensions?.['code']) ?? []);

/**
 * GraphQL over HTTP (the specification's draft) through the real gateway over the real subgraphs:
 * status codes by media type, GET for queries with CSRF prevention, batches, bodies that are not
 * GraphQL-over-HTTP requests at all.
 */
describe('GraphQL over HTTP', () => {
  let graph: InProcessGraph;
  beforeAll(async () => {
    graph = await startInProcessGraph();
  }, 240_000);
  afterAll(() => graph?.stop());

  const answer = async (response: Response): Promise<Answer> => ({
    status: response.status,
    contentType: response.headers.get('content-type'),
    allow: response.headers.get('allow'),
    body: (await response.json()) as Answer['body'],
  });
  const postRaw = async (body: string, headers: Record<string, string> = {}) =>
    answer(
      await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(30_000),
      }),
    );
  const get = async (params: Record<string, string>, headers: Record<string, string> = {}) => {
    const url = new URL(graph.gatewayUrl);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return answer(await fetch(url, { headers, signal: AbortSignal.timeout(30_000) }));
  };

  describe.each(MEDIA_TYPES)('answering $accept', ({ accept, contentType, requestError }) => {
    const post = (body: unknown) => postRaw(JSON.stringify(body), { accept });

    it('answers a query 200 with its data', async () => {
      const ok = await post({ query: OBJECTIVE });
      expect([ok.status, ok.contentType, codesOf(ok)]).toEqual([200, contentType, []]);
      expect(ok.body).toMatchObject({ data: { objective: { id: '2.2.1', owner: 'FIREARMS' } } });
    });

    it(`answers request errors ${requestError}, with the same coded body: parse, validation, variables, limits`, async () => {
      const cases: [unknown, string][] = [
        [{ query: '{ objective(id: "2.2.1") { id ' }, 'GRAPHQL_PARSE_FAILED'],
        [{ query: '{ objective(id: "2.2.1") { nonsense } }' }, 'GRAPHQL_VALIDATION_FAILED'],
        [{ query: 'query Objective($id: ID!) { objective(id: $id) { id } }' }, 'BAD_USER_INPUT'],
        [{ query: 'query A { goals { id } } query B { goals { id } }' }, 'OPERATION_RESOLUTION_FAILURE'],
        [{ query: 'query A { goals { id } }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'],
        [
          { query: `{ region(code: "MX") { ${'country { '.repeat(12)}code${' }'.repeat(12)} } }` },
          'DEPTH_LIMIT_EXCEEDED',
        ],
        [{ query: `{ goals { ${'id '.repeat(6_000)}} }` }, 'TOKEN_LIMIT_EXCEEDED'],
        [
          {
            query: `{ portsOfEntry { drugSeizures(first: 100) { nodes { port {
              firearmSeizures(first: 100) { nodes { recordId } } } } } } }`,
          },
          'COST_ESTIMATED_TOO_EXPENSIVE',
        ],
      ];
      for (const [body, code] of cases) {
        const refused = await post(body);
        expect([refused.status, refused.contentType, codesOf(refused)]).toEqual([requestError, contentType, [code]]);
        expect(refused.body).not.toHaveProperty('data');
      }
      // Executed, with an error in a field: 200 with data, whatever the media type.
      const partial = await post({ query: '{ objective(id: "two") { id } }' });
      expect([partial.status, codesOf(partial)]).toEqual([200, ['BAD_USER_INPUT']]);
      expect(partial.body).toMatchObject({ data: { objective: null } });
    });

    it('answers 400 what is not a GraphQL-over-HTTP request, 413 a body over BODY_LIMIT, 400 a batch over QUERY_MAX_BATCH', async () => {
      const notJson = await postRaw('{"query": ', { accept });
      expect([notJson.status, codesOf(notJson)]).toEqual([400, ['BAD_REQUEST']]);
      const noQuery = await post({ variables: {} });
      expect([noQuery.status, codesOf(noQuery)]).toEqual([400, ['BAD_REQUEST']]);
      const tooLarge = await post({ query: `{ goals { ${'id '.repeat(400_000)}} }` });
      expect([tooLarge.status, codesOf(tooLarge)]).toEqual([413, ['BODY_TOO_LARGE']]);
      const batch = await post(Array.from({ length: 11 }, () => ({ query: '{ goals { id } }' })));
      expect([batch.status, codesOf(batch)]).toEqual([400, ['BATCH_LIMIT_EXCEEDED']]);
    });

    it('answers a batch within QUERY_MAX_BATCH with one answer per operation, in order', async () => {
      const batch = await post([
        { query: OBJECTIVE },
        { query: 'query Goal($id: ID!) { goal(id: $id) { id } }', variables: { id: '3' } },
        { query: '{ goals { nonsense } }' },
      ]);
      // Run, a batch is 200 whatever its answers' errors (the specification does not define batches).
      expect([batch.status, batch.contentType]).toEqual([200, contentType]);
      expect(batch.body).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({ objective: expect.objectContaining({ id: '2.2.1' }) }),
        }),
        { data: { goal: { id: '3' } } },
        { errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] },
      ]);
    });

    it('answers GET queries that carry a non-simple header, with their variables', async () => {
      const preflight = { accept, 'apollo-require-preflight': 'true' };
      const ok = await get(
        { query: 'query Goal($id: ID!) { goal(id: $id) { id } }', variables: '{"id":"2"}', operationName: 'Goal' },
        preflight,
      );
      expect([ok.status, ok.contentType, ok.body]).toEqual([200, contentType, { data: { goal: { id: '2' } } }]);
      const invalid = await get({ query: '{ goals { nonsense } }' }, preflight);
      expect([invalid.status, codesOf(invalid)]).toEqual([requestError, ['GRAPHQL_VALIDATION_FAILED']]);
      const badVariables = await get({ query: '{ goals { id } }', variables: '{"id":' }, preflight);
      expect([badVariables.status, codesOf(badVariables)]).toEqual([400, ['BAD_REQUEST']]);
    });

    it('refuses a GET without such a header (CSRF prevention) and a mutation over GET (405)', async () => {
      const simple = await get({ query: '{ goals { id } }' }, { accept });
      expect([simple.status, codesOf(simple)]).toEqual([400, ['BAD_REQUEST']]);
      expect(Array.isArray(simple.body) ? '' : simple.body.errors?.[0]?.message).toMatch(
        /blocked as a potential Cross-Site Request Forgery \(CSRF\).*apollo-require-preflight/,
      );
      graph.resetRequests();
      const mutation = await get(
        {
          query: `mutation { updateTraffickingCaseStatus(recordId: "none", status: CHARGED, on: "2026-01-01",
            submission: { idempotencyKey: "get-mutation" }) { recordId } }`,
        },
        { accept, 'apollo-require-preflight': 'true' },
      );
      expect([mutation.status, mutation.allow, codesOf(mutation)]).toEqual([405, 'POST', ['BAD_REQUEST']]);
      expect(graph.requests.size).toBe(0);
    });
  });

  it('reads a request without Accept as application/json', async () => {
    const invalid = await postRaw(JSON.stringify({ query: '{ goals { nonsense } }' }));
    expect([invalid.status, invalid.contentType, codesOf(invalid)]).toEqual([
      200,
      JSON_TYPE,
      ['GRAPHQL_VALIDATION_FAILED'],
    ]);
  });

  it('says that an answer depends on Accept, Accept-Language and Authorization (Vary), for the page and for GraphQL answers alike', async () => {
    const vary = (response: Response) =>
      (response.headers.get('vary') ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean);
    const posted = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: OBJECTIVE }),
      signal: AbortSignal.timeout(30_000),
    });
    await posted.arrayBuffer();
    expect(vary(posted)).toEqual(expect.arrayContaining(['accept', 'accept-language', 'authorization']));
    // The IDE's page is served on the same URL to a browser: an HTTP cache must not give it to a client.
    const page = await fetch(graph.gatewayUrl, {
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(30_000),
    });
    await page.arrayBuffer();
    expect([page.status, page.headers.get('content-type')?.split(';')[0]]).toEqual([200, 'text/html']);
    expect(vary(page)).toContain('accept');
  });

  it('compresses an answer of 1 KiB and more as the client accepts (brotli, else gzip), and not a smaller one', async () => {
    const { request } = await import('node:http');
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    /** One POST with node:http (fetch would decompress it), its raw body. */
    const raw = (query: string, acceptEncoding: string | null) =>
      new Promise<{ encoding: string | undefined; cache: string | undefined; vary: string; body: Buffer }>(
        (resolve, reject) => {
          const req = request(
            graph.gatewayUrl,
            {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }),
              },
              timeout: 30_000,
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () =>
                resolve({
                  encoding: res.headers['content-encoding'],
                  cache: res.headers['x-cache'] as string | undefined,
                  vary: String(res.headers['vary'] ?? ''),
                  body: Buffer.concat(chunks),
                }),
              );
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ query }));
        },
      );
    // Each request a document of its own (its alias), so that each is a MISS that Apollo Server
    // answers and `compression` compresses (a stored answer is sent by encodedBodies.ts instead).
    const goals = (alias: string) =>
      `{ ${alias}: goals { id title description areas { id title objectives { id title } } } }`;
    const dataOf = (text: string, alias: string) => (JSON.parse(text) as { data: Record<string, unknown> }).data[alias];
    const plain = await raw(goals('plain'), null);
    expect([plain.encoding, plain.cache]).toEqual([undefined, 'MISS']);
    expect(plain.body.length).toBeGreaterThan(1024);
    const expected = dataOf(plain.body.toString('utf8'), 'plain');
    expect(expected).toMatchObject([{ id: '1' }, { id: '2' }, { id: '3' }]);
    const brotli = await raw(goals('brotli'), 'gzip, deflate, br');
    expect([brotli.encoding, brotli.cache]).toEqual(['br', 'MISS']);
    expect(dataOf(brotliDecompressSync(brotli.body).toString('utf8'), 'brotli')).toEqual(expected);
    expect(brotli.body.length).toBeLessThan(plain.body.length / 2);
    const gzip = await raw(goals('gzipped'), 'gzip');
    expect([gzip.encoding, gzip.cache]).toEqual(['gzip', 'MISS']);
    expect(dataOf(gunzipSync(gzip.body).toString('utf8'), 'gzipped')).toEqual(expected);
    expect(gzip.vary.toLowerCase()).toContain('accept-encoding');
    // Under 1 KiB the bytes are not worth it.
    const small = await raw('{ goals { id } }', 'gzip, br');
    expect(small.encoding).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({
      data: { goals: [{ id: '1' }, { id: '2' }, { id: '3' }] },
    });
  });
});
