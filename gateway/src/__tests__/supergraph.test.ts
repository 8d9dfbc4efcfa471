import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { composeSupergraph, readSupergraphConfig, SUPERGRAPH_PATH } from '@bicentennial/schema';
import pino from 'pino';
import { startGateway, type RunningGateway } from '../app';
import { readEnv } from '../env';
import { loadSupergraph, SupergraphLoadError } from '../supergraph';

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
    ).toEqual(['border-trade', 'extradition', 'finance', 'firearms', 'framework', 'public-health']);
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
