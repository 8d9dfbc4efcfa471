import { ALL_SCOPES } from '@bicentennial/schema';
import { getIntrospectionQuery, parse } from 'graphql';
import type { RunningGateway } from '@bicentennial/gateway';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { OBJECTIVE, post, type ObjectiveData } from '../operations';

interface Refusal {
  status: number;
  ms: number;
  codes: unknown[];
  limits: unknown[];
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * What every hostile request must be answered within, its body whole: a bound against hanging or
 * running away, not a speed target. Generous, because the suite shares a 2-core machine: the permissive gateway parsing
 * 5,000 aliases took 2.25 s in one fresh-clone run with the machine loaded.
 */
const QUICKLY_MS = 5_000;

/**
 * Hostile requests through the real gateway over the real subgraphs, over HTTP: each is refused
 * quickly with its own code and the limit it broke, nothing of it reaches a subgraph, and a normal
 * operation from another client is answered normally after them. Two gateways over the same
 * subgraphs: one with the shipped defaults, one with QUERY_MAX_TOKENS at its maximum (1,000,000),
 * so that the limits behind the parser's meet the hostile documents whole.
 */
describe('hostile requests', () => {
  let graph: InProcessGraph;
  /** The token limit at its maximum: the parser lets the hostile documents through to the other limits. */
  let permissive: RunningGateway;
  let attacker: string;
  let analyst: string;

  beforeAll(async () => {
    graph = await startInProcessGraph();
    permissive = await graph.startGateway({ QUERY_MAX_TOKENS: '1000000' });
    attacker = await graph.token({ subject: 'attacker', agency: 'DHS', country: 'US', scopes: [...ALL_SCOPES] });
    analyst = await graph.token({ subject: 'analyst-1', agency: 'CBP', country: 'US', scopes: [...ALL_SCOPES] });
  }, 240_000);
  afterAll(() => graph?.stop());

  /** Sends a raw body as the attacker (`application/graphql-response+json`: request errors are 4xx). */
  const send = async (url: string, body: string): Promise<Refusal> => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${attacker}`,
      },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const parsed = (await response.json()) as Refusal['body'];
    const ms = performance.now() - started;
    return {
      status: response.status,
      ms,
      codes: parsed.errors?.map((e) => e.extensions?.['code']) ?? [],
      limits: parsed.errors?.map((e) => e.extensions?.['limit']) ?? [],
      body: parsed,
    };
  };
  const query = (url: string, document: string, variables?: unknown) =>
    send(url, JSON.stringify({ query: document, ...(variables !== undefined ? { variables } : {}) }));

  /** An operation nested `levels` deep through single fields (a country's country …). */
  const deep = (levels: number) =>
    `{ region(code: "MX") { ${'country { '.repeat(levels)}code${' }'.repeat(levels)} } }`;
  const aliases = (count: number) =>
    `{ ${Array.from({ length: count }, (_, n) => `a${n}: region(code: "MX") { code }`).join(' ')} }`;

  it('refuses 10,000-deep nesting at the depth limit, even where the parser runs out of stack before the token limit', async () => {
    graph.resetRequests();
    // graphql-js's parser recurses per level: 10,000 levels exhaust its stack before 5,000 tokens.
    for (const url of [graph.gatewayUrl, permissive.url]) {
      const tooDeep = await query(url, deep(10_000));
      expect([tooDeep.status, tooDeep.codes, tooDeep.limits]).toEqual([400, ['DEPTH_LIMIT_EXCEEDED'], [10]]);
      expect(tooDeep.body.errors?.[0]?.message).toBe(
        'The document is nested too deeply to be parsed, far beyond the depth limit of 10.',
      );
      expect(tooDeep.ms).toBeLessThan(QUICKLY_MS);
    }
    // 1,000 levels parse (2,000 tokens): the depth rule refuses them.
    const parsed = await query(graph.gatewayUrl, deep(1_000));
    expect([parsed.status, parsed.codes, parsed.limits]).toEqual([400, ['DEPTH_LIMIT_EXCEEDED'], [10]]);
    expect(parsed.body.errors?.[0]?.message).toBe('Query depth limit of 10 exceeded, found 1002.');
    expect(parsed.ms).toBeLessThan(QUICKLY_MS);
    // A flat document of 6,000 tokens: the parser stops at the token limit.
    const tokens = await query(graph.gatewayUrl, `{ goals { ${'id '.repeat(6_000)}} }`);
    expect([tokens.status, tokens.codes, tokens.limits]).toEqual([400, ['TOKEN_LIMIT_EXCEEDED'], [5000]]);
    expect(graph.requests.size).toBe(0);
  });

  it('refuses 5,000 aliases: at the token limit by default, at the alias limit when the parser lets them through', async () => {
    graph.resetRequests();
    const byDefault = await query(graph.gatewayUrl, aliases(5_000));
    expect([byDefault.status, byDefault.codes, byDefault.limits]).toEqual([400, ['TOKEN_LIMIT_EXCEEDED'], [5000]]);
    expect(byDefault.ms).toBeLessThan(QUICKLY_MS);
    const permitted = await query(permissive.url, aliases(5_000));
    expect([permitted.status, permitted.codes, permitted.limits]).toEqual([400, ['ALIAS_LIMIT_EXCEEDED'], [100]]);
    expect(permitted.body.errors?.[0]?.message).toBe('Aliases limit of 100 exceeded, found 5000.');
    expect(permitted.ms).toBeLessThan(QUICKLY_MS);
    // 5,000 directives, one on each selection.
    const directives = await query(permissive.url, `{ goals { ${'id @include(if: true) '.repeat(5_000)} } }`);
    // graphql-js's own budget for comparing 5,000 fields of one name adds "Validation aborted.".
    expect([directives.status, directives.codes[0], directives.limits[0]]).toEqual([
      400,
      'DIRECTIVE_LIMIT_EXCEEDED',
      50,
    ]);
    expect(directives.body.errors?.[0]?.message).toBe('Directives limit of 50 exceeded, found 5000.');
    expect(directives.ms).toBeLessThan(QUICKLY_MS);
    expect(graph.requests.size).toBe(0);
  });

  it('refuses a 5 MB query and 4 MB of variables with 413 before reading them as GraphQL', async () => {
    graph.resetRequests();
    const big = await query(graph.gatewayUrl, `{ goals { ${'id '.repeat((5 * 1024 * 1024) / 3)} } }`);
    expect([big.status, big.codes, big.limits]).toEqual([413, ['BODY_TOO_LARGE'], [1_048_576]]);
    expect(big.body.errors?.[0]?.message).toBe(
      'The request body is larger than 1048576 bytes, the limit (BODY_LIMIT).',
    );
    expect(big.ms).toBeLessThan(QUICKLY_MS);
    const ids = Array.from({ length: 300_000 }, (_, n) => `goal-${n}`);
    expect(JSON.stringify(ids).length).toBeGreaterThan(4_000_000);
    const variables = await query(graph.gatewayUrl, 'query ($ids: [ID!]) { goals { id } }', { ids });
    expect([variables.status, variables.codes]).toEqual([413, ['BODY_TOO_LARGE']]);
    expect(variables.ms).toBeLessThan(QUICKLY_MS);
    expect(graph.requests.size).toBe(0);
  });

  it('refuses cyclic fragments and a fragment bomb', async () => {
    graph.resetRequests();
    const cyclic = await query(
      graph.gatewayUrl,
      `{ goals { ...A } } fragment A on Goal { areas { goal { ...B } } } fragment B on Goal { id ...A }`,
    );
    expect([cyclic.status, cyclic.codes]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
    expect(cyclic.body.errors?.[0]?.message).toBe('Cannot spread fragment "A" within itself via "B".');
    expect(cyclic.ms).toBeLessThan(QUICKLY_MS);
    // f1 spreads f0 40 times, f2 spreads f1 40 times, f3 spreads f2 40 times: 64,000 fields in 400 tokens.
    const fragments = Array.from({ length: 3 }, (_, n) => `fragment f${n + 1} on Goal { ${`...f${n} `.repeat(40)}}`);
    const bomb = await query(graph.gatewayUrl, `{ goals { ...f3 } } fragment f0 on Goal { id } ${fragments.join(' ')}`);
    expect([bomb.status, bomb.codes, bomb.limits]).toEqual([400, ['FIELD_LIMIT_EXCEEDED'], [10_000]]);
    expect(bomb.ms).toBeLessThan(QUICKLY_MS);
    expect(graph.requests.size).toBe(0);
  });

  it('refuses deeply nested variables and an operation estimated too expensive', async () => {
    graph.resetRequests();
    // 100,000 levels of {"a": …} in 600 kB (JSON text: JSON.stringify itself cannot write it).
    const nested = `${'{"a":'.repeat(100_000)}"x"${'}'.repeat(100_000)}`;
    const declared = await send(
      graph.gatewayUrl,
      `{"query":"query ($from: Date) { drugSeizures(from: $from, first: 1) { totalCount } }","variables":{"from":${nested}}}`,
    );
    expect([declared.status, declared.codes, declared.limits]).toEqual([400, ['JSON_DEPTH_LIMIT_EXCEEDED'], [64]]);
    expect(declared.ms).toBeLessThan(QUICKLY_MS);
    const undeclared = await send(graph.gatewayUrl, `{"query":"{ goals { id } }","variables":{"deep":${nested}}}`);
    expect([undeclared.status, undeclared.codes]).toEqual([400, ['JSON_DEPTH_LIMIT_EXCEEDED']]);
    expect(undeclared.ms).toBeLessThan(QUICKLY_MS);
    // The same over GET, and without a token that verifies (refused before authentication reads it).
    const url = new URL(graph.gatewayUrl);
    url.searchParams.set('query', '{ goals { id } }');
    url.searchParams.set('variables', `{"deep":${'['.repeat(1_500)}${']'.repeat(1_500)}}`);
    const overGet = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect([overGet.status, ((await overGet.json()) as Refusal['body']).errors?.[0]?.extensions?.['code']]).toEqual([
      400,
      'JSON_DEPTH_LIMIT_EXCEEDED',
    ]);
    expect(graph.requests.size).toBe(0);
    // A variable a few levels deep is answered as usual: the subgraph refuses an object for a Date.
    const shallow = await query(
      graph.gatewayUrl,
      'query ($from: Date) { drugSeizures(from: $from, first: 1) { totalCount } }',
      {
        from: { a: { a: 'x' } },
      },
    );
    expect([shallow.status, shallow.codes, shallow.body.data]).toEqual([
      200,
      ['BAD_USER_INPUT'],
      { drugSeizures: null },
    ]);
    graph.resetRequests();
    const costly = await query(
      graph.gatewayUrl,
      `{ portsOfEntry { drugSeizures(first: 100) { nodes { port { firearmSeizures(first: 100) { nodes { recordId } } } } } } }`,
    );
    expect([costly.status, costly.codes, costly.limits]).toEqual([400, ['COST_ESTIMATED_TOO_EXPENSIVE'], [200_000]]);
    expect(costly.body.errors?.[0]?.extensions?.['cost']).toEqual({ estimated: 515_100, limit: 200_000 });
    expect(costly.ms).toBeLessThan(QUICKLY_MS);
    expect(graph.requests.size).toBe(0);
  });

  it("refuses introspection multiplied by aliases, and nesting past graphql-js's introspection depth; answers the IDE's own introspection", async () => {
    // 100 aliases (the alias limit) of one type's fields' types' fields, within the token limit:
    // 4 MB of answer from a 13 kB document (measured on this supergraph), costing nothing in the estimate (the gateway
    // answers introspection itself).
    const wide = `{ ${Array.from(
      { length: 100 },
      (_, n) =>
        `t${n}: __type(name: "Query") { fields { type { ofType { ofType { fields { name description } } } fields { name description } } } }`,
    ).join(' ')} }`;
    const multiplied = await query(graph.gatewayUrl, wide);
    expect([multiplied.status, multiplied.codes, multiplied.limits]).toEqual([
      400,
      ['INTROSPECTION_LIMIT_EXCEEDED'],
      [2],
    ]);
    expect(multiplied.body.errors?.[0]?.message).toMatch(/more than 2 introspection fields/);
    expect(multiplied.ms).toBeLessThan(QUICKLY_MS);
    // Through fragments: one fragment with two __type, spread under three aliases of … the same root.
    const spread = await query(
      graph.gatewayUrl,
      `{ ...T ...U } fragment T on Query { a: __type(name: "Goal") { name } b: __type(name: "Region") { name } c: __schema { queryType { name } } } fragment U on Query { d: __type(name: "Port") { name } e: __type(name: "Drug") { name } f: __type(name: "Query") { name } }`,
    );
    expect([spread.status, spread.codes]).toEqual([400, ['INTROSPECTION_LIMIT_EXCEEDED']]);
    // Nested lists of lists of lists: graphql-js's MaxIntrospectionDepthRule, a validation failure.
    const nested = await query(
      graph.gatewayUrl,
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expect([nested.status, nested.codes, nested.limits]).toEqual([400, ['INTROSPECTION_DEPTH_LIMIT_EXCEEDED'], [2]]);
    expect(nested.body.errors?.[0]?.message).toMatch(/more than 2 deep, the limit/);
    expect(nested.ms).toBeLessThan(QUICKLY_MS);
    // 40 aliases of the standard introspection query's body: 2.9 kB that made 22.6 MB of answer and,
    // six at once, ran a 256 MiB gateway worker out of heap (before the limit).
    const introspection = getIntrospectionQuery();
    const fragmentsAt = introspection.indexOf('fragment');
    // `query IntrospectionQuery { __schema { … } }`: the selection of __schema, without the query's brace.
    const head = introspection.slice(0, fragmentsAt).trim();
    const standard = head.slice(head.indexOf('__schema') + '__schema'.length, head.lastIndexOf('}')).trim();
    const fragments = introspection.slice(fragmentsAt);
    expect(parse(`{ __schema ${standard} } ${fragments}`).definitions).toHaveLength(4);
    const forty = `{ ${Array.from({ length: 40 }, (_, n) => `s${n}: __schema ${standard}`).join(' ')} } ${fragments}`;
    const amplified = await Promise.all(Array.from({ length: 6 }, () => query(graph.gatewayUrl, forty)));
    expect(amplified.map((refusal) => [refusal.status, refusal.codes])).toEqual(
      Array.from({ length: 6 }, () => [400, ['INTROSPECTION_LIMIT_EXCEEDED']]),
    );
    expect(Math.max(...amplified.map((refusal) => refusal.ms))).toBeLessThan(QUICKLY_MS);
    // What GraphiQL and codegen send is answered whole.
    const full = await query(
      graph.gatewayUrl,
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    );
    expect([full.status, full.codes]).toEqual([200, []]);
    expect((full.body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(100);
  });

  it('refuses a batch of more operations than QUERY_MAX_BATCH before running any of them', async () => {
    graph.resetRequests();
    const batch = Array.from({ length: 11 }, () => ({ query: OBJECTIVE }));
    const refused = await send(graph.gatewayUrl, JSON.stringify(batch));
    expect([refused.status, refused.codes, refused.limits]).toEqual([400, ['BATCH_LIMIT_EXCEEDED'], [10]]);
    expect(refused.body.errors?.[0]?.message).toBe(
      'The batch has 11 operations, more than the limit of 10 (QUERY_MAX_BATCH): none of them was run.',
    );
    expect(refused.ms).toBeLessThan(QUICKLY_MS);
    expect(graph.requests.size).toBe(0);
  });

  it('still answers another client normally after all of them', async () => {
    const started = performance.now();
    const { status, body } = await post<ObjectiveData>(graph.gatewayUrl, OBJECTIVE, undefined, { token: analyst });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.objective).toMatchObject({
      id: '2.2.1',
      owner: 'FIREARMS',
      area: { id: '2.2' },
      goal: { id: '2' },
    });
    expect(body.data?.objective?.indicators.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(QUICKLY_MS);
    const anonymous = await post<ObjectiveData>(permissive.url, OBJECTIVE);
    expect(anonymous.body.data?.objective?.id).toBe('2.2.1');
  });
});
