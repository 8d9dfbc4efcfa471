import type { ApolloServer } from '@apollo/server';
import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { GraphQLScalarType, Kind, parse, valueFromASTUntyped } from 'graphql';
import { NUL_INPUT_MESSAGE, nulArgumentPath } from '../subgraph/nulInput';
import { createSubgraphServer } from '../subgraph/server';

type Context = { caller: Caller };

const TYPE_DEFS = parse(`#graphql
  "Any JSON value, taken as given (a custom scalar's raw input)."
  scalar JSON

  "A note on a field, for the directive case."
  directive @remark(text: String) on FIELD

  type Query {
    programme(recordId: String!): String
    search(tags: [String!], filter: Filter): String
    echo(value: JSON): String
    count(n: Int): Int
  }

  type Mutation {
    record(input: RecordInput!): String
  }

  input Filter {
    name: String
    any: [Filter!]
  }

  input RecordInput {
    note: String
    items: [ItemInput!]
  }

  input ItemInput {
    name: String
    tags: [String]
  }
`);

const JSON_SCALAR = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/**
 * The subgraph server every subgraph runs (createSubgraphServer) refuses an operation whose
 * argument values hold U+0000, before any resolver runs: one BAD_USER_INPUT naming the argument
 * path, HTTP 400 as for the other refusals before execution. Other control characters pass.
 */
describe('arguments holding the NUL character (U+0000)', () => {
  /** What the resolvers were given, in order: none may run for a refused operation. */
  const received: unknown[] = [];
  let server: ApolloServer<Context>;

  beforeAll(async () => {
    server = createSubgraphServer<Context>({
      typeDefs: TYPE_DEFS,
      resolvers: {
        JSON: JSON_SCALAR,
        Query: {
          programme: (_parent: unknown, args: { recordId: string }) => {
            received.push(args.recordId);
            return args.recordId;
          },
          search: (_parent: unknown, args: unknown) => {
            received.push(args);
            return JSON.stringify(args);
          },
          echo: (_parent: unknown, args: { value: unknown }) => {
            received.push(args.value);
            return JSON.stringify(args.value);
          },
          count: (_parent: unknown, args: { n?: number | null }) => args.n ?? 0,
        },
        Mutation: {
          record: (_parent: unknown, args: { input: unknown }) => {
            received.push(args.input);
            return 'written';
          },
        },
      },
      logger: silentLogger,
    });
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    received.length = 0;
  });

  const run = async (query: string, variables?: Record<string, unknown>, operationName?: string) => {
    const response = await server.executeOperation(
      { query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) },
      { contextValue: { caller: ANONYMOUS } },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, body: response.body.singleResult };
  };

  /** Expects the operation refused, naming `field`, with nothing resolved. */
  const expectRefused = async (field: string, query: string, variables?: Record<string, unknown>) => {
    const answer = await run(query, variables);
    expect(answer).toEqual({
      status: 400,
      body: {
        errors: [{ message: `${field}: ${NUL_INPUT_MESSAGE}`, extensions: { code: 'BAD_USER_INPUT', field } }],
      },
    });
    expect(received).toEqual([]);
  };

  it('refuses a NUL in an inline literal, escaped or raw, block string or not', async () => {
    await expectRefused('recordId', '{ programme(recordId: "a\\u0000b") }');
    await expectRefused('recordId', '{ programme(recordId: "\\u0000") }');
    await expectRefused('recordId', '{ programme(recordId: "a\u0000b") }');
    await expectRefused('recordId', '{ programme(recordId: """block \u0000 string""") }');
    expect(NUL_INPUT_MESSAGE).toBe('a text may not contain the NUL character (U+0000)');
  });

  it('refuses a NUL in a variable, and in a default value the operation falls back on', async () => {
    await expectRefused('recordId', 'query ($id: String!) { programme(recordId: $id) }', { id: 'a\u0000' });
    await expectRefused('recordId', 'query ($id: String! = "x\\u0000") { programme(recordId: $id) }');
    // A default the request overrides is not used, so not refused.
    expect((await run('query ($id: String! = "\\u0000") { programme(recordId: $id) }', { id: 'P-1' })).body).toEqual({
      data: { programme: 'P-1' },
    });
  });

  it('names the path inside input objects and lists, literal or variable', async () => {
    await expectRefused('input.note', 'mutation { record(input: { note: "bad\\u0000" }) }');
    await expectRefused('input.note', 'mutation ($note: String) { record(input: { note: $note }) }', {
      note: '\u0000',
    });
    await expectRefused('input.note', 'mutation ($input: RecordInput!) { record(input: $input) }', {
      input: { note: 'x\u0000y' },
    });
    await expectRefused('input.items.1.tags.0', 'mutation ($input: RecordInput!) { record(input: $input) }', {
      input: {
        note: 'fine',
        items: [
          { name: 'a', tags: ['ok'] },
          { name: 'b', tags: ['\u0000', 'ok'] },
        ],
      },
    });
    await expectRefused('input.items.0.name', 'mutation { record(input: { items: [{ name: "\\u0000" }] }) }');
    await expectRefused('tags.1', '{ search(tags: ["ok", "b\\u0000"]) }');
    await expectRefused('tags.2', 'query ($t: String!) { search(tags: ["a", "b", $t]) }', { t: '\u0000' });
    await expectRefused('filter.any.0.any.0.name', 'query ($f: Filter) { search(filter: $f) }', {
      f: { any: [{ any: [{ name: 'deep \u0000' }] }] },
    });
  });

  it("refuses a NUL in a custom scalar's raw input, in its values and its keys", async () => {
    await expectRefused('value.a.b', '{ echo(value: { a: { b: "\\u0000" } }) }');
    await expectRefused('value.list.1', '{ echo(value: { list: [1, "\\u0000"] }) }');
    await expectRefused('value.a.1', 'query ($v: JSON) { echo(value: $v) }', { v: { a: [true, 'x\u0000'] } });
    await expectRefused('value.a', 'query ($v: JSON) { echo(value: $v) }', { v: { a: { 'key\u0000': 1 } } });
    await expectRefused('value', 'query ($v: JSON) { echo(value: $v) }', { v: '\u0000' });
  });

  it('reads the fragments an operation spreads and the directives it carries', async () => {
    await expectRefused(
      'recordId',
      '{ ...Outer } fragment Outer on Query { ...Inner } fragment Inner on Query { programme(recordId: "\\u0000") }',
    );
    await expectRefused('recordId', '{ ... on Query { programme(recordId: "\\u0000") } }');
    await expectRefused('@remark.text', '{ count @remark(text: "\\u0000") }');
  });

  it('answers with the first place in the document, once, however many hold a NUL', async () => {
    await expectRefused('tags.0', 'query ($a: String!, $b: String!) { search(tags: [$b]) programme(recordId: $a) }', {
      a: '\u0000',
      b: '\u0000',
    });
    await expectRefused('recordId', '{ count(n: 1) programme(recordId: "\\u0000") search(tags: ["\\u0000"]) }');
  });

  it('accepts the other control characters and any other text', async () => {
    const texts = [
      'a\u0001b',
      'tab\there',
      'line\nbreak',
      '\u001f\u007f\u0080',
      'nul spelled out: \\u0000',
      'é ñ 日本 🦅',
    ];
    for (const text of texts) {
      expect((await run('query ($id: String!) { programme(recordId: $id) }', { id: text })).body).toEqual({
        data: { programme: text },
      });
    }
    expect((await run('{ programme(recordId: "a\\u0001b\\tc") }')).body).toEqual({
      data: { programme: 'a\u0001b\tc' },
    });
    const input = { note: '\u0001\t', items: [{ name: '\u0002', tags: ['\u0003', null] }] };
    expect((await run('mutation ($input: RecordInput!) { record(input: $input) }', { input })).body).toEqual({
      data: { record: 'written' },
    });
    expect(received.at(-1)).toEqual(input);
  });

  it('leaves a normal operation untouched', async () => {
    const answer = await run('query Normal { programme(recordId: "P-1") count(n: 2) echo(value: { a: ["b", 1] }) }');
    expect(answer).toEqual({
      status: undefined,
      body: { data: { programme: 'P-1', count: 2, echo: '{"a":["b",1]}' } },
    });
    // Another operation of the same document holding a NUL is not the one run.
    expect(
      (
        await run(
          'query Clean { programme(recordId: "ok") } query Dirty { programme(recordId: "\\u0000") }',
          undefined,
          'Clean',
        )
      ).body,
    ).toEqual({ data: { programme: 'ok' } });
  });

  it('answers with the same status and shape as the other BAD_USER_INPUT refused before execution', async () => {
    const coercion = await run('query ($n: Int) { count(n: $n) }', { n: 'not a number' });
    expect(coercion.status).toBe(400);
    expect(coercion.body.data).toBeUndefined();
    expect(coercion.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    const nul = await run('query ($n: Int, $id: String!) { count(n: $n) programme(recordId: $id) }', {
      n: 1,
      id: '\u0000',
    });
    expect([nul.status, nul.body.data, nul.body.errors?.map((e) => e.extensions?.['code'])]).toEqual([
      coercion.status,
      coercion.body.data,
      ['BAD_USER_INPUT'],
    ]);
  });

  it('finds the path without a server (nulArgumentPath)', () => {
    const document = parse('query ($x: [String]) { search(tags: $x) } ');
    const operation = document.definitions[0]!;
    if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('expected an operation');
    expect(nulArgumentPath(document, operation, { x: ['a', 'b\u0000'] })).toBe('tags.1');
    expect(nulArgumentPath(document, operation, { x: ['a', 'b'] })).toBeUndefined();
    expect(nulArgumentPath(document, operation, undefined)).toBeUndefined();
    // A variable the operation does not declare is never read by it.
    expect(nulArgumentPath(document, operation, { x: null, other: '\u0000' })).toBeUndefined();
  });
});
