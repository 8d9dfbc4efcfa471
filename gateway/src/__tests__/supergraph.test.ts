import { ensureDevelopmentKeys, mintToken } from '@bicentennial/service';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { composeSupergraph } from '@bicentennial/tools/compose';
import { envName, readSupergraphConfig, Scope, SUPERGRAPH_PATH, type SubgraphConfig } from '@bicentennial/schema';
import { buildSchema, graphql } from 'graphql';
import pino from 'pino';
import { startGateway, type RunningGateway } from '../app';
import { readEnv } from '../env';
import { loadSupergraph, SupergraphLoadError } from '../supergraph';

/**
 * The committed subgraphs, none of which these tests run, on a closed port: never the default
 * ports, where a developer's `npm start` may be serving (the gateway probes them and sends them its
 * audit events).
 */
const CLOSED = Object.fromEntries(
  readSupergraphConfig().map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, 'http://127.0.0.1:1/graphql']),
);

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Listens on 127.0.0.1, port 0, until closed. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** A URL on a port where nothing listens: one the system just gave out and took back. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/**
 * A subgraph the committed supergraph does not have, over real HTTP: `Query.extraGreeting`, and
 * every operation it receives (so a test can tell the gateway's requests reached it).
 */
async function startExtraSubgraph(): Promise<{ url: string; operations: string[]; close(): Promise<void> }> {
  const schema = buildSchema('type Query { extraGreeting: String }');
  const operations: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      operations.push(query);
      void graphql({
        schema,
        source: query,
        rootValue: { extraGreeting: 'hello from extra' },
        variableValues: variables ?? null,
      }).then((result) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      });
    });
  });
  const url = await listen(server);
  return { url, operations, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The committed subgraphs plus one more, `name`, with `routingUrl` in the file, composed as CI would. */
function supergraphWith(dir: string, name: string, routingUrl: string): string {
  const sdlPath = join(dir, `${name}.graphql`);
  writeFileSync(
    sdlPath,
    [
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable", "@policy"])',
      '"Added in the test."',
      'type Query {',
      '  "Added in the test."',
      `  ${name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Greeting: String`,
      '}',
    ].join('\n'),
  );
  const extra: SubgraphConfig = { name, routingUrl, port: 0, sdlPath, packageDir: dir };
  const composed = composeSupergraph([...readSupergraphConfig(), extra]);
  expect(composed.errors).toEqual([]);
  return composed.supergraphSdl!;
}

interface StatusBody {
  subgraphs: { name: string; url: string; reachable: boolean | null }[];
}

const QUERY_FIELDS = '{ __type(name: "Query") { fields { name } } }';

async function queryFields(url: string): Promise<string[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY_FIELDS }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: { __type: { fields: { name: string }[] } } };
  return body.data.__type.fields.map((f) => f.name);
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('loading the supergraph file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-gateway-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the committed supergraph and its six subgraphs', () => {
    expect(
      loadSupergraph(SUPERGRAPH_PATH)
        .subgraphs.map((s) => s.name)
        .sort(),
    ).toEqual(['audit', 'border-trade', 'extradition', 'finance', 'firearms', 'framework', 'public-health']);
  });

  it('fails with a clear message when the file is missing or not a supergraph', () => {
    expect(() => loadSupergraph(join(dir, 'none.graphql'))).toThrow(SupergraphLoadError);
    expect(() => loadSupergraph(join(dir, 'none.graphql'))).toThrow(
      /no supergraph at .*none\.graphql: run `npm run compose`/,
    );
    const path = join(dir, 'bad.graphql');
    writeFileSync(path, 'type Query { hello: String }');
    expect(() => loadSupergraph(path)).toThrow(/bad\.graphql is not a valid supergraph/);
  });

  it('keeps the gateway from starting when the file is missing', async () => {
    await expect(
      startGateway(readEnv({ PORT: '0', SUPERGRAPH_PATH: join(dir, 'none.graphql') }), pino({ level: 'silent' })),
    ).rejects.toThrow(/no supergraph at/);
  });
});

describe('a changed supergraph file', () => {
  let dir: string;
  let path: string;
  let gateway: RunningGateway;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-gateway-'));
    path = join(dir, 'supergraph.graphql');
    copyFileSync(SUPERGRAPH_PATH, path);
    gateway = await startGateway(
      readEnv({
        PORT: '0',
        SUPERGRAPH_PATH: path,
        SUPERGRAPH_POLL_INTERVAL_MS: '50',
        STATUS_POLL_INTERVAL_MS: '600000',
        ...CLOSED,
      }),
      logger,
    );
  });
  afterAll(async () => {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is swapped in without dropping a request in flight', async () => {
    expect(await queryFields(gateway.url)).not.toContain('frameworkVersion');
    // framework ships a new root field: its SDL with one more field, composed as CI would.
    const frameworkSdl = join(dir, 'framework.graphql');
    const [framework, ...others] = readSupergraphConfig();
    writeFileSync(
      frameworkSdl,
      readFileSync(framework!.sdlPath, 'utf8').replace(
        'type Query {',
        'type Query {\n  "Added in the test."\n  frameworkVersion: String',
      ),
    );
    const next = composeSupergraph([{ ...framework!, sdlPath: frameworkSdl }, ...others]);
    expect(next.errors).toEqual([]);

    let swapped = false;
    const statuses: number[] = [];
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!swapped) {
          const response = await fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: QUERY_FIELDS }),
          });
          statuses.push(response.status);
          await response.arrayBuffer();
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(`${path}.next`, next.supergraphSdl!);
    // Deploy tools replace the file by rename; the gateway must see that too.
    renameSync(`${path}.next`, path);
    await until('the new supergraph', async () => (await queryFields(gateway.url)).includes('frameworkVersion'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    swapped = true;
    await load;
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(lines.some((l) => l.msg === 'supergraph updated')).toBe(true);
  });

  it('is ignored, with an error logged, when it does not load: the last good supergraph keeps serving', async () => {
    const before = await queryFields(gateway.url);
    writeFileSync(path, 'this is not a supergraph');
    await until('the error to be logged', () =>
      Promise.resolve(lines.some((l) => l.level === 50 && /keeping the last good supergraph/.test(l.msg))),
    );
    expect(await queryFields(gateway.url)).toEqual(before);
    const ready = await fetch(gateway.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
  });
});

describe('a subgraph added to the supergraph file', () => {
  let dir: string;
  let path: string;
  let extra: Awaited<ReturnType<typeof startExtraSubgraph>>;
  let gateway: RunningGateway;
  let operator: string;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-gateway-'));
    path = join(dir, 'supergraph.graphql');
    copyFileSync(SUPERGRAPH_PATH, path);
    extra = await startExtraSubgraph();
    gateway = await startGateway(
      readEnv({
        PORT: '0',
        SUPERGRAPH_PATH: path,
        SUPERGRAPH_POLL_INTERVAL_MS: '50',
        STATUS_POLL_INTERVAL_MS: '600000',
        ...CLOSED,
        // Set before the subgraph is in the file, as a deployment does ahead of the new supergraph.
        SUBGRAPH_URL_EXTRA: extra.url,
        DEV_KEYS_DIR: join(dir, 'keys'),
      }),
      logger,
    );
    const keys = await ensureDevelopmentKeys(join(dir, 'keys'));
    operator = await mintToken(keys.issuer.privateJwk, {
      subject: 'operator',
      agency: 'OPS',
      country: 'US',
      scopes: [Scope.OPERATOR],
    });
  });
  afterAll(async () => {
    // The test server and the folder first: a gateway that failed to start leaves nothing to stop.
    await extra.close();
    rmSync(dir, { recursive: true, force: true });
    await gateway.stop();
  });

  const status = async (refresh: boolean) => {
    const response = await fetch(
      gateway.url.replace('/graphql', `/status/subgraphs${refresh ? '?refresh=true' : ''}`),
      {
        headers: { authorization: `Bearer ${operator}` },
      },
    );
    return ((await response.json()) as StatusBody).subgraphs;
  };

  it('warns at start about an override that names no subgraph yet', () => {
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, variables: ['SUBGRAPH_URL_EXTRA'], msg: expect.stringMatching(/unused/) }),
    );
  });

  it('is routed to its SUBGRAPH_URL_ override from its first request, and the status knows it', async () => {
    // The file routes `extra` to a port where nothing listens: only the override can answer.
    const routingUrl = await closedUrl();
    writeFileSync(`${path}.next`, supergraphWith(dir, 'extra', routingUrl));
    renameSync(`${path}.next`, path);
    await until('the new supergraph', async () => (await queryFields(gateway.url)).includes('extraGreeting'));

    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '#graphql\n{ extraGreeting }' }),
    });
    expect(await response.json()).toEqual({ data: { extraGreeting: 'hello from extra' } });
    expect(extra.operations.some((op) => op.includes('extraGreeting'))).toBe(true);

    expect((await status(false)).find((s) => s.name === 'extra')).toMatchObject({ url: extra.url });
    expect((await status(true)).find((s) => s.name === 'extra')).toMatchObject({ url: extra.url, reachable: true });
  });

  it('is refused before the switch when it has no usable URL: the last good supergraph keeps serving', async () => {
    const before = await queryFields(gateway.url);
    const statusBefore = (await status(false)).map((s) => s.name);
    writeFileSync(`${path}.next`, supergraphWith(dir, 'no-url', 'no-url:4010'));
    renameSync(`${path}.next`, path);
    await until('the refusal to be logged', () =>
      Promise.resolve(
        lines.some(
          (l) =>
            l.level === 50 &&
            /keeping the last good supergraph/.test(l.msg) &&
            /no-url \(routing URL "no-url:4010"; set SUBGRAPH_URL_NO_URL\)/.test(
              (l as { err?: { message?: string } }).err?.message ?? '',
            ),
        ),
      ),
    );
    expect(await queryFields(gateway.url)).toEqual(before);
    expect(before).not.toContain('noUrlGreeting');
    expect((await status(false)).map((s) => s.name)).toEqual(statusBefore);
    expect(lines.some((l) => /rejected|refused/.test(l.msg))).toBe(false);
  });
});
