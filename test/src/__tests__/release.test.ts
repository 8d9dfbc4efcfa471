// The release: `npm run build` emits JavaScript, each service is laid out as its image holds it
// (schema/tools/src/release/deploy.ts, which schema/docker/Dockerfile runs), and the built gateway
// and a built subgraph start with `node` and production settings on PostgreSQL and answer through
// the gateway. Docker itself cannot run on this machine; everything the image does but `docker` is here.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import {
  createTestKeys,
  createThrowawayDatabase,
  describeOnPostgres,
  type TestKeys,
  type ThrowawayDatabase,
} from '@bicentennial/testing';
import { envName, readSupergraphConfig } from '@bicentennial/schema';
import { deployService, type Release } from '@bicentennial/tools/release';
import { REPO_ROOT } from '@bicentennial/tools/stack';

const run = promisify(execFile);

/** A clean environment: nothing of the test runner's (no NODE_OPTIONS source condition, no tsx). */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', PROFILE: 'production', NODE_ENV: 'production', ...extra };
}

interface Started {
  child: ChildProcess;
  url: string;
  lines: string[];
}

/** Starts `node <entry>` in a release folder and waits for its "serving" log line. */
function startBuilt(release: Release, entry: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    cwd: release.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not serve in 60 s:\n${lines.join('\n')}`)), 60_000);
    const onLine = (line: string) => {
      lines.push(line);
      try {
        const parsed = JSON.parse(line) as { msg?: string; url?: string };
        if (parsed.msg === 'serving' && parsed.url) {
          clearTimeout(timer);
          resolve({ child, url: parsed.url, lines });
        }
      } catch {
        // not a log line (a start-up error printed as text): kept for the failure message
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}

async function stop(started: Started | undefined): Promise<number | null> {
  if (!started || started.child.exitCode !== null) return started?.child.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  return exited;
}

async function graphql(
  url: string,
  query: string,
  token?: string,
): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

/** Whether the package is installed anywhere in the release (npm nests a conflicting version in a workspace's own node_modules). */
function has(release: Release, name: string): boolean {
  const search = (dir: string): boolean => {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    const modules = join(dir, 'node_modules');
    if (!existsSync(modules)) return false;
    return readdirSync(modules, { withFileTypes: true }).some((entry) => {
      if (!entry.isDirectory() || entry.name.startsWith('.')) return false;
      const scoped = entry.name.startsWith('@');
      const dirs = scoped
        ? readdirSync(join(modules, entry.name), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => join(modules, entry.name, e.name))
        : [join(modules, entry.name)];
      return dirs.some((d) => search(d));
    });
  };
  return [release.dir, ...release.workspaces.map((w) => join(release.dir, w))].some((dir) => search(dir));
}

describeOnPostgres()('the release (built output, production settings, PostgreSQL)', () => {
  let out: string;
  let gatewayRelease: Release;
  let firearmsRelease: Release;
  let database: ThrowawayDatabase;
  let firearms: Started | undefined;
  let gateway: Started | undefined;
  /** Key files as an operator configures them: production refuses to start without them. */
  let keys: TestKeys;

  beforeAll(async () => {
    keys = await createTestKeys();
    await run('npm', ['run', 'build'], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    out = mkdtempSync(join(tmpdir(), 'bicentennial-release-'));
    [gatewayRelease, firearmsRelease] = await Promise.all([
      deployService('gateway', join(out, 'gateway'), { offline: true }),
      deployService('subgraphs/firearms', join(out, 'firearms'), { offline: true }),
    ]);
    database = await createThrowawayDatabase();
    firearms = await startBuilt(
      firearmsRelease,
      'subgraphs/firearms/dist/index.js',
      productionEnv({ DATABASE_URL: database.url, PORT: '0', GATEWAY_JWKS_PATH: keys.internalJwksPath }),
    );
    gateway = await startBuilt(
      gatewayRelease,
      'gateway/dist/index.js',
      productionEnv({
        PORT: '0',
        // The subgraphs this test does not run: a closed port, never the default ports, where a
        // developer's `npm start` may be serving.
        ...Object.fromEntries(
          readSupergraphConfig().map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, 'http://127.0.0.1:1/graphql']),
        ),
        SUBGRAPH_URL_FIREARMS: firearms.url,
        STATUS_POLL_INTERVAL_MS: '60000',
        AUTH_JWKS_PATH: keys.issuerJwksPath,
        AUTH_ISSUER: keys.issuer,
        AUTH_AUDIENCE: keys.audience,
        INTERNAL_SIGNING_KEY_PATH: keys.internalPrivatePath,
        AUDIT_SPOOL_DIR: join(out, 'audit-spool'),
      }),
    );
  }, 300_000);

  afterAll(async () => {
    await stop(gateway);
    await stop(firearms);
    await database?.drop();
    if (out) rmSync(out, { recursive: true, force: true });
    keys?.remove();
  }, 60_000);

  it("holds each service's production dependencies only: no TypeScript, no tools, no driver in the gateway", () => {
    for (const release of [gatewayRelease, firearmsRelease]) {
      for (const devOnly of ['tsx', 'typescript', 'jest', 'prisma', '@bicentennial/tools', '@bicentennial/testing']) {
        expect({ release: release.dir, devOnly, present: has(release, devOnly) }).toMatchObject({ present: false });
      }
    }
    expect(gatewayRelease.workspaces).toEqual([
      'gateway',
      'gateway/dashboard',
      'gateway/ide',
      'schema',
      'schema/service',
    ]);
    for (const driver of ['pg', '@electric-sql/pglite', '@prisma/client', 'pglite-prisma-adapter']) {
      expect({ driver, present: has(gatewayRelease, driver) }).toEqual({ driver, present: false });
    }
    expect(has(firearmsRelease, 'pg')).toBe(true);
    expect(has(firearmsRelease, '@apollo/gateway')).toBe(false);
  });

  it('serves the published figures through the built gateway from the built subgraph', async () => {
    // Ad hoc: under the production profile's safelist, for graph:analyze only.
    const analyst = await keys.mint({ subject: 'dhs-1', agency: 'DHS', country: 'US', scopes: ['graph:analyze'] });
    const answer = await graphql(
      gateway!.url,
      '{ traceRequestStatistics { id } firearmTraces { id } firearmsSources { id kind } }',
      analyst,
    );
    expect(answer.errors).toBeUndefined();
    const data = answer.data as {
      traceRequestStatistics: unknown[];
      firearmTraces: unknown[];
      firearmsSources: { kind: string }[];
    };
    expect(data.traceRequestStatistics.length).toBeGreaterThan(0);
    expect(data.firearmTraces.length).toBeGreaterThan(0);
    expect(data.firearmsSources.length).toBeGreaterThan(0);
  });

  it('serves the IDE it was built with: the page, its assets, the read-only examples and no picker', async () => {
    const pageResponse = await fetch(gateway!.url, { headers: { accept: 'text/html' } });
    expect(pageResponse.status).toBe(200);
    const html = await pageResponse.text();
    const script = /src="(ide\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(new URL(script!, gateway!.url))).status).toBe(200);
    // The release holds the built assets and examples, never the IDE's sources or its bundler.
    expect(has(gatewayRelease, 'esbuild')).toBe(false);
    expect(has(gatewayRelease, 'graphiql')).toBe(false);
    const config = (await (await fetch(new URL('/ide/config.json', gateway!.url))).json()) as {
      profile: string;
      roles: unknown[];
      examples: { name: string; query: string }[];
    };
    expect(config.profile).toBe('production');
    expect(config.roles).toEqual([]);
    expect(config.examples.map((example) => example.name)).toContain('DashboardProgress');
    expect(config.examples.filter((example) => /^\s*mutation\b/m.test(example.query))).toEqual([]);
  });

  it('runs the persisted operations it ships for anyone, and ad hoc ones for graph:analyze only', async () => {
    // The release holds the manifest where the gateway reads it by default (SAFELIST=enforce).
    const shipped = join(gatewayRelease.dir, 'schema', 'persisted-operations.json');
    const { operations } = JSON.parse(readFileSync(shipped, 'utf8')) as { operations: { id: string; name: string }[] };
    const traces = operations.find((o) => o.name === 'FirearmTracesFromMexico')!;
    const byId = await fetch(gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: traces.id } } }),
    });
    expect(byId.status).toBe(200);
    const answer = (await byId.json()) as { data?: { firearmTraces: unknown[] }; errors?: unknown[] };
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.firearmTraces.length).toBeGreaterThan(0);
    const adHoc = await graphql(gateway!.url, '{ firearmTraces { period } }');
    expect(adHoc.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_NOT_IN_SAFELIST' } })]);
  });

  it('loads no synthetic data in the production profile', async () => {
    const token = await keys.mint({ subject: 'atf-1', agency: 'ATF', country: 'US', scopes: ['graph:analyze'] });
    const answer = await graphql(
      gateway!.url,
      '{ firearmsSources { id kind } firearmSeizures(first: 1) { totalCount } }',
      token,
    );
    expect(answer.errors).toBeUndefined();
    const data = answer.data as { firearmsSources: { kind: string }[]; firearmSeizures: { totalCount: number } };
    expect(data.firearmsSources.filter((s) => s.kind === 'SYNTHETIC')).toEqual([]);
    expect(data.firearmSeizures.totalCount).toBe(0);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await stop(gateway)).toBe(0);
    expect(await stop(firearms)).toBe(0);
  });
});
