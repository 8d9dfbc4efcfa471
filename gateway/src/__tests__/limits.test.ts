import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SCOPES } from '@bicentennial/schema';
import { ensureDevelopmentKeys, mintToken, silentLogger } from '@bicentennial/service';
import { startGateway, type RunningGateway } from '../app';
import { readEnv } from '../env';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * The gateway alone, its subgraphs not running: an operation the limits let through goes on to be
 * planned and fetched (and fails there with SUBGRAPH_UNAVAILABLE), one they refuse never gets that far.
 */
describe('query limits', () => {
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

  const post = async (query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const refusal = (answer: Answer) => [
    answer.status,
    answer.body.errors?.map((e) => [e.extensions?.code, e.message]),
    answer.body.data,
  ];
  const reachedSubgraphs = (answer: Answer) =>
    answer.body.errors?.every((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE') ?? false;

  /** `region(code: "MX") { ports { region { ports … } } }` nested `levels` times: depth 2·levels + 1. */
  const nested = (levels: number) =>
    `{ region(code: "MX") { ${'ports { state { '.repeat(levels)}code${' } }'.repeat(levels)} } }`;

  it('refuses an operation deeper than QUERY_MAX_DEPTH before planning it, and lets one at the limit through', async () => {
    expect(refusal(await post(nested(5)))).toEqual([
      400,
      [['GRAPHQL_VALIDATION_FAILED', 'Syntax Error: Query depth limit of 10 exceeded, found 12.']],
      undefined,
    ]);
    const atLimit = await post(nested(4)); // depth 10
    expect(atLimit.status).toBe(200);
    expect(reachedSubgraphs(atLimit)).toBe(true);
  });

  it('refuses too many aliases, directives or tokens with a code naming the limit', async () => {
    const aliases = `{ ${Array.from({ length: 6 }, (_, n) => `r${n}: region(code: "MX") { code }`).join(' ')} }`;
    expect(refusal(await post(aliases))).toEqual([
      400,
      [['GRAPHQL_VALIDATION_FAILED', 'Syntax Error: Aliases limit of 5 exceeded, found 6.']],
      undefined,
    ]);
    const directives = `{ goals { id ${'__typename @include(if: true) '.repeat(5)} } }`;
    expect(refusal(await post(directives))).toEqual([
      400,
      [['GRAPHQL_VALIDATION_FAILED', 'Syntax Error: Directives limit of 4 exceeded, found 5.']],
      undefined,
    ]);
    const tokens = `{ goals { ${'id '.repeat(450)} } }`;
    const tooLong = await post(tokens);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(tooLong.body.errors?.[0]?.message).toBe(
      'Syntax Error: Document contains more that 400 tokens. Parsing aborted.',
    );
  });

  it('refuses nested pages whose sizes multiply past QUERY_MAX_COST, whether `first` is written, a variable or left out', async () => {
    // The port list counts once (it has no pages); 100 seizures, each with 100 firearm seizures: 30,302.
    const costly = `{ portsOfEntry { drugSeizures(first: 100) { nodes { port {
      firearmSeizures(first: 100) { nodes { recordId firearms } } } } } } }`;
    expect(refusal(await post(costly))).toEqual([
      400,
      [
        [
          'GRAPHQL_VALIDATION_FAILED',
          'Operation cost 30302 exceeds the limit of 20000 (a page counts its fields once per row it may return: its first, or 20 when not given).',
        ],
      ],
      undefined,
    ]);
    const byVariable = `query Walk($n: Int) { portsOfEntry { drugSeizures(first: $n) { nodes { port {
      firearmSeizures(first: $n) { nodes { recordId firearms } } } } } } }`;
    expect(refusal(await post(byVariable, { n: 100 }))[0]).toBe(400);
    expect(reachedSubgraphs(await post(byVariable, { n: 10 }))).toBe(true);
    // Left out, each page is 20 rows: 20 × 20 × 20 × … nested three deep is over the limit.
    const byDefault = `{ portsOfEntry { drugSeizures { nodes { port { drugSeizures { nodes { port {
      firearmSeizures { nodes { recordId firearms } } } } } } } } } }`;
    const refusedByDefault = await post(byDefault);
    expect(refusedByDefault.status).toBe(400);
    expect(refusedByDefault.body.errors?.[0]?.message).toMatch(/^Operation cost \d+ exceeds the limit of 20000/);
    // A variable of the wrong type is execution's to refuse, with its own coded error.
    const wrongType = await post(byVariable, { n: 'ten' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
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
          'GRAPHQL_VALIDATION_FAILED',
          'Operation too large to cost: it expands to more than 10000 fields (a fragment counts at every spread).',
        ],
      ],
      undefined,
    ]);
  });

  it('does not count introspection against the depth limit', async () => {
    const deepTypeRef = `{ __schema { types { name fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }`;
    expect(refusal(await post(deepTypeRef))[0]).toBe(200);
  });
});
