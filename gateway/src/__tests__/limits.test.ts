import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { ALL_SCOPES, DEFAULT_PAGE_SIZE, SUPERGRAPH_PATH } from '@bicentennial/schema';
import { ensureDevelopmentKeys, mintToken, silentLogger } from '@bicentennial/service';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  validate,
} from 'graphql';
import { forApolloGateway, startGateway, type RunningGateway } from '../app';
import { readEnv } from '../env';
import {
  costDirectivesFromSupergraph,
  DEFAULT_LIST_SIZE,
  expandedFieldCount,
  introspectionFieldCount,
  maxIntrospectionFields,
  MAX_COSTED_FIELDS,
  operationCost,
  type CostDirectives,
} from '../limits';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** The operations the repository relies on (test/src/operations.ts), as the contract gives them. */
const DASHBOARD = `#graphql
query Dashboard { goals { id title(lang: ES) areas { id objectives { id title owner
  indicators { id name unit series { period value source { publisher url kind } } } } } } }`;
const OBJECTIVE = `#graphql
query Objective { objective(id: "2.2.1") { id title area { id } goal { id } owner indicators { id latest { period value } } } }`;
const SINALOA_WALK = `#graphql
{ criminalOrganization(slug: "SINALOA") {
    name
    designations(first: 50) { nodes { designatedOn authorities targetKind } }
    extraditions(first: 100) { nodes { person status surrenderedOn destination organization { slug } } }
    firearmsTraffickingCases(first: 1) { totalCount } } }`;

describe('the cost directives of the composed supergraph', () => {
  // As the gateway is handed it (supergraph.ts), and its API schema as Apollo Server holds it.
  const sdl = forApolloGateway(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const directives = costDirectivesFromSupergraph(sdl);
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    operationCost(api, parse(query), variables, undefined, directives);

  it('reads @listSize and @cost where the subgraphs declared them', () => {
    expect(directives.listSizes.get('Query.goals')).toEqual({
      assumedSize: 3,
      slicingArguments: [],
      sizedFields: [],
      requireOneSlicingArgument: true,
    });
    expect(directives.listSizes.get('PortOfEntry.drugSeizures')).toEqual({
      assumedSize: DEFAULT_PAGE_SIZE,
      slicingArguments: ['first', 'last'],
      sizedFields: ['nodes', 'edges'],
      requireOneSlicingArgument: false,
    });
    // Declared by each of the five owners on their interface: composed into the public one.
    expect(directives.listSizes.get('Indicator.series')?.assumedSize).toBe(50);
    // Root searches count every row their filter matches; the audit trail's count scans it whole.
    expect(directives.fields.get('Query.drugSeizures')).toBe(10);
    expect(directives.fields.get('AuditEventConnection.totalCount')).toBe(10);
    expect(directives.fields.get('PortOfEntry.drugSeizures')).toBeUndefined();
  });

  it('sizes every list of objects: by its own @listSize, or as the sizedFields of every field returning its parent', () => {
    const unsized: string[] = [];
    const sizedBy = new Map<string, string[]>();
    const returning = new Map<string, string[]>();
    for (const type of Object.values(api.getTypeMap())) {
      if (type.name.startsWith('__') || (!isObjectType(type) && !isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const returned = getNamedType(field.type).name;
        returning.set(returned, [...(returning.get(returned) ?? []), coordinate]);
        for (const sized of directives.listSizes.get(coordinate)?.sizedFields ?? [])
          sizedBy.set(`${returned}.${sized}`, [...(sizedBy.get(`${returned}.${sized}`) ?? []), coordinate]);
      }
    }
    for (const type of Object.values(api.getTypeMap())) {
      if (type.name.startsWith('__') || (!isObjectType(type) && !isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!isListType(getNullableType(field.type)) || !isCompositeType(getNamedType(field.type))) continue;
        if (directives.listSizes.has(coordinate)) continue;
        const parents = returning.get(type.name) ?? [];
        const sizers = sizedBy.get(coordinate) ?? [];
        if (parents.length === 0 || !parents.every((p) => sizers.includes(p))) unsized.push(coordinate);
      }
    }
    expect(unsized).toEqual([]);
    // requireOneSlicingArgument is not enforced (limits.ts): no @listSize with slicing arguments asks for it.
    const requiring = [...directives.listSizes].filter(
      ([, size]) => size.slicingArguments.length > 0 && size.requireOneSlicingArgument,
    );
    expect(requiring).toEqual([]);
  });

  it("estimates the repository's own operations well below the default limit", () => {
    // goals 3 × (1 + areas 4 × (1 + objectives 5 × (1 + indicators 10 × (1 + series 50 × (1 + source 1)))))
    expect(cost(DASHBOARD)).toBe(60_675);
    // objective 1 + area 1 + goal 1 + indicators 10 × (1 + latest 1)
    expect(cost(OBJECTIVE)).toBe(23);
    // organization 1 + designations (1 + 50) + extraditions (1 + 100 × (1 + organization 1)) + cases 1
    expect(cost(SINALOA_WALK)).toBe(254);
    // The benchmark's border walk (test/src/bench/harness/workloads.ts).
    const borderWalk = `query BorderWalk { region(code: "US") { name states { code name ports { code name counterpartCity
      counterpartState { code name(lang: ES) homicides(first: 5) { totalCount nodes { period measure count ratePer100k } } } } } } }`;
    expect(cost(borderWalk)).toBe(14_461);
    // One batch of the ingest (schema/tools/src/ingest/ingest.ts): 10 + result 1 + errors 1,000 + rows 1,000.
    const ingest = `mutation Ingest($rows: [DrugSeizureInput!]!, $dryRun: Boolean) {
      result: importDrugSeizures(rows: $rows, dryRun: $dryRun) { received inserted alreadyPresent errors { row field code message } } }`;
    const row = { location: 'AT_PORT', state: 'US-TX', seizedOn: '2024-01-01', drug: 'FENTANYL', quantity: 1 };
    const rows = Array.from({ length: 1000 }, (_, n) => ({
      ...row,
      recordId: `r${n}`,
      unit: 'KILOGRAMS',
      mode: 'PASSENGER_VEHICLE',
      sourceId: 'source',
    }));
    expect(cost(ingest, { rows, dryRun: false })).toBe(2_011);
    // A walk through reference lists, bounded by cost as well as by depth.
    expect(cost('{ regions { ports { state { ports { state { ports { code } } } } } } }')).toBe(2_886_100);
    const limit = readEnv({}).QUERY_MAX_COST;
    expect(cost(DASHBOARD) * 3).toBeLessThan(limit);
    expect(cost(SINALOA_WALK) * 100).toBeLessThan(limit);
  });

  it('multiplies nested pages by their `first`, written or a variable, and by their assumedSize when left out', () => {
    const walk = `query Walk($n: Int) { portsOfEntry { drugSeizures(first: $n) { nodes { port {
      firearmSeizures(first: $n) { nodes { recordId firearms } } } } } } }`;
    // ports 50 × (1 + page (1 + n × (seizure 1 + port 1 + page (1 + n × seizure 1))))
    expect(cost(walk, { n: 100 })).toBe(50 * (2 + 100 * (3 + 100)));
    expect(cost(walk, { n: 10 })).toBe(50 * (2 + 10 * (3 + 10)));
    expect(cost(walk)).toBe(50 * (2 + DEFAULT_PAGE_SIZE * (3 + DEFAULT_PAGE_SIZE)));
    // A negative `first` (which the subgraph refuses) lowers nothing.
    expect(cost(walk, { n: -1000 })).toBe(50 * 2);
    // The root search weighs 10 instead of 1.
    expect(cost('{ drugSeizures(first: 5) { totalCount nodes { recordId } } }')).toBe(10 + 5);
  });
});

/** A schema of its own, for the rules one by one (the supergraph's SDL carries the link). */
describe('the estimation rules', () => {
  const sdl = `#graphql
    schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@listSize", as: "@size" }], as: "demand") {
      query: Query
      mutation: Mutation
    }
    directive @link(url: String!, as: String, import: [link__Import]) repeatable on SCHEMA
    scalar link__Import
    directive @demand(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
    directive @size(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    type Query {
      shelves: [Shelf!]! @size(assumedSize: 4)
      unsized: [Book!]!
      search(first: Int = 7, filter: Filter): BookPage! @size(slicingArguments: ["first"], sizedFields: ["books"]) @demand(weight: 25)
      byIds(ids: [ID!]!): [Book!]! @size(slicingArguments: ["ids"])
      rare: Rare
    }
    type Mutation { shelve(book: BookInput!, tags: [String!] @demand(weight: 2)): Book }
    type Shelf { name: String! books(first: Int): BookPage! @size(slicingArguments: ["first"], sizedFields: ["books"], assumedSize: 10, requireOneSlicingArgument: false) }
    type BookPage { total: Int! books: [Book!]! }
    type Book { title: String! author: Author! }
    type Author { name: String! }
    type Rare @demand(weight: 40) { name: String! }
    input Filter { author: String, range: Range }
    input Range { from: Int, to: Int }
    input BookInput { title: String! author: AuthorInput! }
    input AuthorInput { name: String! }
  `;
  const schema = buildSchema(sdl);
  const directives: CostDirectives = costDirectivesFromSupergraph(sdl);
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    operationCost(schema, parse(query), variables, undefined, directives);

  it('reads renamed directives from the link', () => {
    expect(directives.listSizes.get('Query.shelves')?.assumedSize).toBe(4);
    expect(directives.fields.get('Query.search')).toBe(25);
    expect(directives.types.get('Rare')).toBe(40);
    expect(directives.inputs.get('Mutation.shelve(tags:)')).toBe(2);
    expect(costDirectivesFromSupergraph('type Query { a: Int }')).toEqual({
      types: new Map(),
      fields: new Map(),
      inputs: new Map(),
      listSizes: new Map(),
    });
  });

  it('costs objects 1 and scalars 0, times the list size; __typename and introspection nothing', () => {
    expect(cost('{ shelves { name } }')).toBe(4);
    expect(cost('{ shelves { __typename name books { total } } }')).toBe(4 * (1 + 1));
    expect(cost(`{ unsized { title } }`)).toBe(DEFAULT_LIST_SIZE);
    expect(cost('{ __schema { types { name fields { name } } } __type(name: "Book") { name } }')).toBe(0);
  });

  it('sizes sizedFields by the slicing argument, its variable, its default or the assumedSize', () => {
    // A shelf is 1, its page 1, the page's books `first` × (book 1 + author 1).
    expect(cost('{ shelves { books(first: 3) { books { author { name } } } } }')).toBe(4 * (2 + 3 * 2));
    expect(cost('query ($n: Int) { shelves { books(first: $n) { books { title } } } }', { n: 6 })).toBe(4 * (2 + 6));
    expect(cost('query ($n: Int = 2) { shelves { books(first: $n) { books { title } } } }')).toBe(4 * (2 + 2));
    expect(cost('{ shelves { books { books { title } } } }')).toBe(4 * (2 + 10));
    // The argument's default (7), and the field's own weight instead of the page's 1.
    expect(cost('{ search { books { title } } }')).toBe(25 + 7);
    // A list argument gives its length.
    expect(cost('{ byIds(ids: ["a", "b", "c"]) { title } }')).toBe(3);
    expect(cost('query ($ids: [ID!]!) { byIds(ids: $ids) { title } }', { ids: ['a', 'b'] })).toBe(2);
  });

  it('carries the sizing through fragments, and costs a fragment at every spread', () => {
    const query = `{ shelves { books(first: 3) { ...Page } } a: shelves { books(first: 3) { ...Page } } }
      fragment Page on BookPage { books { ...Title } }
      fragment Title on Book { title author { name } }`;
    expect(cost(query)).toBe(2 * 4 * (2 + 3 * 2));
  });

  it('adds a type weight, input objects and arguments, and 10 for a mutation', () => {
    expect(cost('{ rare { name } }')).toBe(40);
    // Filter 1 + Range 1 as written, or as a variable.
    expect(cost('{ search(first: 1, filter: { author: "x", range: { from: 1 } }) { total } }')).toBe(25 + 2);
    expect(
      cost('query ($f: Filter) { search(first: 1, filter: $f) { total } }', { f: { author: 'x', range: { to: 2 } } }),
    ).toBe(25 + 2);
    // 10 + book 1 + author 1 + BookInput 1 + AuthorInput 1 + tags (2, and 2 per tag).
    expect(
      cost('mutation { shelve(book: { title: "t", author: { name: "n" } }, tags: ["a", "b"]) { author { name } } }'),
    ).toBe(10 + 2 + 2 + (2 + 2 * 2));
  });

  it('leaves out what @skip and @include leave out, with their variables', () => {
    expect(cost('query ($no: Boolean!) { rare @include(if: $no) { name } shelves { name } }', { no: false })).toBe(4);
    expect(cost('{ rare @skip(if: true) { name } ... @include(if: false) { shelves { name } } }')).toBe(0);
  });

  it('counts the fields of a fragment bomb without spreading it out', () => {
    // f1 spreads f0 25 times, …, f9 spreads f8 25 times: 25^9 fields, counted in a few steps.
    const fragments = Array.from({ length: 9 }, (_, n) => `fragment f${n + 1} on Book { ${`...f${n} `.repeat(25)}}`);
    const bomb = parse(`{ unsized { ...f9 } } fragment f0 on Book { title } ${fragments.join(' ')}`);
    const started = performance.now();
    expect(expandedFieldCount(bomb)).toBe(MAX_COSTED_FIELDS + 1);
    expect(operationCost(schema, bomb, {}, undefined, directives)).toBe(DEFAULT_LIST_SIZE);
    expect(performance.now() - started).toBeLessThan(100);
    expect(expandedFieldCount(parse('{ shelves { name books { total } } }'))).toBe(4);
  });
});

describe('the introspection limit', () => {
  const schema = buildSchema(
    'type Query { shelves: [Shelf!]! } type Shelf { name: String! } type Book { name: String! }',
  );
  const count = (source: string, stopAt?: number) => {
    const document = parse(source);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
    return introspectionFieldCount(document, operation, stopAt);
  };

  it('counts __schema and __type wherever they are, a fragment at every spread, and stops past the limit', () => {
    expect(count('{ __schema { types { name } } __typename shelves { name } }')).toBe(1);
    expect(
      count(
        '{ a: __type(name: "Book") { name } b: __type(name: "Shelf") { name } ... on Query { c: __schema { queryType { name } } } }',
      ),
    ).toBe(3);
    expect(
      count(
        '{ ...T x: shelves { name } } fragment T on Query { a: __type(name: "Book") { name } ...U } fragment U on Query { b: __schema { queryType { name } } }',
      ),
    ).toBe(2);
    // f1 spreads f0 25 times, …: 25^6 introspection fields, counted without spreading them.
    const fragments = Array.from({ length: 6 }, (_, n) => `fragment f${n + 1} on Query { ${`...f${n} `.repeat(25)}}`);
    const started = performance.now();
    expect(count(`{ ...f6 } fragment f0 on Query { __schema { queryType { name } } } ${fragments.join(' ')}`, 5)).toBe(
      6,
    );
    expect(performance.now() - started).toBeLessThan(100);
    // A cycle (validation refuses it too) counts nothing rather than looping.
    expect(
      count('{ ...A } fragment A on Query { ...B } fragment B on Query { __type(name: "Book") { name } ...A }'),
    ).toBe(1);
  });

  it('is a validation rule that refuses with its code and the limit, and lets the limit itself through', () => {
    const rule = maxIntrospectionFields(2);
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `t${i}: __type(name: "Book") { name }`).join(' ')} }`;
    expect(validate(schema, parse(aliases(2)), [rule])).toEqual([]);
    const refused = validate(schema, parse(aliases(3)), [rule]);
    expect(refused.map((error) => [error.message, error.extensions])).toEqual([
      [
        'The operation selects more than 2 introspection fields (__schema, __type), the limit: one __schema answers everything introspection can tell.',
        { code: 'INTROSPECTION_LIMIT_EXCEEDED', limit: 2 },
      ],
    ]);
  });
});

/**
 * The gateway alone, its subgraphs not running: an operation the limits let through goes on to be
 * planned and fetched (and fails there with SUBGRAPH_UNAVAILABLE), one they refuse never gets that far.
 */
describe('query limits in the gateway', () => {
  let gateway: RunningGateway;
  let token: string;
  const keysDir = mkdtempSync(join(tmpdir(), 'bicentennial-limits-keys-'));
  beforeAll(async () => {
    // An analyst who may see every record: the limits, not the directives, are what is tested.
    const keys = await ensureDevelopmentKeys(keysDir);
    token = await mintToken(keys.issuer.privateJwk, {
      subject: 'limits',
      agency: 'DHS',
      country: 'US',
      scopes: [...ALL_SCOPES],
    });
    gateway = await startGateway(
      readEnv({
        PORT: '0',
        DEV_KEYS_DIR: keysDir,
        RATE_LIMIT_CAPACITY: '0',
        SUPERGRAPH_WATCH: 'false',
        STATUS_POLL_INTERVAL_MS: '600000',
        // Every subgraph on a closed loopback port: nothing here may reach a real one.
        SUBGRAPH_URL_FRAMEWORK: 'http://127.0.0.1:9/graphql',
        SUBGRAPH_URL_PUBLIC_HEALTH: 'http://127.0.0.1:9/graphql',
        SUBGRAPH_URL_BORDER_TRADE: 'http://127.0.0.1:9/graphql',
        SUBGRAPH_URL_FIREARMS: 'http://127.0.0.1:9/graphql',
        SUBGRAPH_URL_FINANCE: 'http://127.0.0.1:9/graphql',
        SUBGRAPH_URL_EXTRADITION: 'http://127.0.0.1:9/graphql',
        SUBGRAPH_URL_AUDIT: 'http://127.0.0.1:9/graphql',
        QUERY_MAX_DEPTH: '10',
        QUERY_MAX_ALIASES: '5',
        QUERY_MAX_TOKENS: '400',
        QUERY_MAX_DIRECTIVES: '4',
        QUERY_MAX_COST: '20000',
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await gateway.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  /** As a GraphQL-over-HTTP client asks: a request error is then HTTP 400 (graphqlOverHttp.ts). */
  const post = async (query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const refusal = (answer: Answer) => [
    answer.status,
    answer.body.errors?.map((e) => [e.extensions?.['code'], e.message, e.extensions?.['limit']]),
    answer.body.data,
  ];
  const reachedSubgraphs = (answer: Answer) =>
    answer.body.errors?.every((e) => e.extensions?.['code'] === 'SUBGRAPH_UNAVAILABLE') ?? false;

  /** `region(code: "MX") { country { country … { code } } }`: depth `levels` + 2, a cost of `levels` + 1. */
  const nested = (levels: number) =>
    `{ region(code: "MX") { ${'country { '.repeat(levels)}code${' }'.repeat(levels)} } }`;

  it('refuses an operation deeper than QUERY_MAX_DEPTH before planning it, and lets one at the limit through', async () => {
    expect(refusal(await post(nested(10)))).toEqual([
      400,
      [['DEPTH_LIMIT_EXCEEDED', 'Query depth limit of 10 exceeded, found 12.', 10]],
      undefined,
    ]);
    const atLimit = await post(nested(8)); // depth 10
    expect(atLimit.status).toBe(200);
    expect(reachedSubgraphs(atLimit)).toBe(true);
  });

  it('refuses too many aliases, directives or tokens, each with its own code and limit', async () => {
    const aliases = `{ ${Array.from({ length: 6 }, (_, n) => `r${n}: region(code: "MX") { code }`).join(' ')} }`;
    expect(refusal(await post(aliases))).toEqual([
      400,
      [['ALIAS_LIMIT_EXCEEDED', 'Aliases limit of 5 exceeded, found 6.', 5]],
      undefined,
    ]);
    const directives = `{ goals { id ${'__typename @include(if: true) '.repeat(5)} } }`;
    expect(refusal(await post(directives))).toEqual([
      400,
      [['DIRECTIVE_LIMIT_EXCEEDED', 'Directives limit of 4 exceeded, found 5.', 4]],
      undefined,
    ]);
    const tokens = `{ goals { ${'id '.repeat(450)} } }`;
    expect(refusal(await post(tokens))).toEqual([
      400,
      [['TOKEN_LIMIT_EXCEEDED', 'The document has more than 400 tokens, the limit: parsing stopped there.', 400]],
      undefined,
    ]);
    // Other syntax and validation errors keep Apollo Server's codes.
    expect((await post('{ goals { id ')).body.errors?.map((e) => e.extensions?.['code'])).toEqual([
      'GRAPHQL_PARSE_FAILED',
    ]);
    expect((await post('{ goals { nonsense } }')).body.errors?.map((e) => e.extensions?.['code'])).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('refuses nested pages whose sizes multiply past QUERY_MAX_COST, whether `first` is written, a variable or left out', async () => {
    // ports 50 × (1 + page (1 + 100 × (seizure 1 + port 1 + page (1 + 100 × seizure 1)))) = 515,100.
    const costly = `{ portsOfEntry { drugSeizures(first: 100) { nodes { port {
      firearmSeizures(first: 100) { nodes { recordId firearms } } } } } } }`;
    const refused = await post(costly);
    expect(refusal(refused)).toEqual([
      400,
      [
        [
          'COST_ESTIMATED_TOO_EXPENSIVE',
          "The operation's estimated cost is 515100, above the limit of 20000: ask for smaller pages (`first`) or fewer nested lists.",
          20000,
        ],
      ],
      undefined,
    ]);
    expect(refused.body.errors?.[0]?.extensions?.['cost']).toEqual({ estimated: 515_100, limit: 20_000 });
    const byVariable = `query Walk($n: Int) { portsOfEntry { drugSeizures(first: $n) { nodes { port {
      firearmSeizures(first: $n) { nodes { recordId firearms } } } } } } }`;
    expect(refusal(await post(byVariable, { n: 100 }))[0]).toBe(400);
    // 50 × (2 + 10 × 13) = 6,600.
    expect(reachedSubgraphs(await post(byVariable, { n: 10 }))).toBe(true);
    // Left out, each page is its assumedSize of 20 rows: three nested pages are over the limit.
    const byDefault = `{ portsOfEntry { drugSeizures { nodes { port { drugSeizures { nodes { port {
      firearmSeizures { nodes { recordId firearms } } } } } } } } } }`;
    expect((await post(byDefault)).body.errors?.[0]?.extensions?.['cost']).toEqual({
      estimated: 463_100,
      limit: 20_000,
    });
    // A variable of the wrong type is execution's to refuse, with its own coded error.
    const wrongType = await post(byVariable, { n: 'ten' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    // 50 × (2 + 100) = 5,100.
    const onePage = await post(`{ portsOfEntry { drugSeizures(first: 100) { nodes { recordId quantity } } } }`);
    expect(reachedSubgraphs(onePage)).toBe(true);
  });

  it('refuses a short document whose fragments expand past what can be costed', async () => {
    // f1 spreads f0 25 times, f2 spreads f1 25 times, f3 spreads f2 25 times: 25^3 = 15,625 fields.
    const fragments = Array.from({ length: 3 }, (_, n) => `fragment f${n + 1} on Goal { ${`...f${n} `.repeat(25)}}`);
    const query = `{ goals { ...f3 } } fragment f0 on Goal { id } ${fragments.join(' ')}`;
    expect(refusal(await post(query))).toEqual([
      400,
      [
        [
          'FIELD_LIMIT_EXCEEDED',
          'The operation expands to more than 10000 fields once its fragments are spread out (a fragment counts at every spread): too large to estimate its cost.',
          10000,
        ],
      ],
      undefined,
    ]);
  });

  it('does not count introspection against the depth or the cost limit', async () => {
    const deepTypeRef = `{ __schema { types { name fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }`;
    expect(refusal(await post(deepTypeRef))[0]).toBe(200);
  });

  it('bounds by cost the walks that cycle through reference lists below the depth limit', async () => {
    // region 1 + ports 30 × (1 + state 1 + ports 30 × (1 + state 1 + ports 30 × 1)): depth 7.
    const walk = `{ region(code: "MX") { ports { state { ports { state { ports { code } } } } } } }`;
    expect((await post(walk)).body.errors?.[0]?.extensions?.['cost']).toEqual({
      estimated: 1 + 30 * (2 + 30 * (2 + 30)),
      limit: 20_000,
    });
  });
});
