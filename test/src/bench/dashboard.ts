import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { startInProcessGraph } from '../inProcess';
import { median, ratio } from './harness/stats';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const AUTOCANNON = join(ROOT, 'node_modules', '.bin', 'autocannon');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * `npm run bench:dashboard [-- --seconds N --connections N --visits N]`: how fast the reference
 * dashboard is served from the caches, against the graph in this process (the real subgraphs and
 * gateway, SAFELIST=enforce as in production) loaded by autocannon in a process of its own.
 *
 * Each HTTP workload runs `connections` connections for `seconds` after a 2 s warm-up: the
 * gateway's cheapest route (`GET /health`, the baseline), the page, its script, the page's read
 * (ReferenceDashboard by id, a GET the response cache answers), the same read as a POST (which
 * the cache answers before the GraphQL pipeline), and the GET again on a second gateway over the
 * same subgraphs with RESPONSE_CACHE=off (every read planned and fetched). Every figure is printed
 * with its ratio to the baseline measured in the same run. Then, with chromium, `visits` page
 * loads in a fresh browser context (nothing cached) and as many in a warm one (its HTTP cache
 * holds the assets and the answer): when the figures were on the page (the page's
 * `dashboard:rendered` mark, from the navigation's start) and how long the read took, medians,
 * and the ratio of the two.
 */

interface Workload {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerAnswer: number;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function load(workload: Workload, connections: number, seconds: number): Promise<Measured> {
  const args = [
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '--warmup',
    '[',
    '-c',
    String(connections),
    '-d',
    '2',
    ']',
    '-m',
    workload.method,
    ...Object.entries(workload.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
    ...(workload.body === undefined ? [] : ['-b', workload.body]),
    workload.url,
  ];
  const { stdout } = await run(AUTOCANNON, args, { maxBuffer: 64 * 2 ** 20 });
  // One JSON line per run: the warm-up's, then the measured run's.
  const lines = stdout.trim().split('\n');
  const result = JSON.parse(lines[lines.length - 1]!) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    throughput: { total: number };
    non2xx: number;
    errors: number;
  };
  return {
    name: workload.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerAnswer: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  };
}

async function main(): Promise<void> {
  const seconds = option('seconds', 8);
  const connections = option('connections', 8);
  const visits = option('visits', 5);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'schema', 'persisted-operations.json'), 'utf8')) as {
    operations: { id: string; name: string }[];
  };
  const id = manifest.operations.find((operation) => operation.name === 'ReferenceDashboard')?.id;
  if (!id) throw new Error('ReferenceDashboard is not in schema/persisted-operations.json: run npm run operations');

  out('starting the graph (subgraphs and gateway in this process)…');
  const graph = await startInProcessGraph({ gatewayEnv: { SAFELIST: 'enforce' } });
  const uncached = await graph.startGateway({ SAFELIST: 'enforce', RESPONSE_CACHE: 'off' });
  try {
    const dashboardUrl = graph.gatewayUrl.replace(/graphql$/, 'dashboard');
    const html = await (await fetch(`${dashboardUrl}?lang=en`)).text();
    const script = /src="(dashboard\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (!script) throw new Error('the dashboard page names no script: is it built?');
    const read = (base: string) => {
      const url = new URL(base);
      url.search = new URLSearchParams({
        operationName: 'ReferenceDashboard',
        variables: JSON.stringify({ lang: 'EN' }),
        extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: id } }),
      }).toString();
      return url.toString();
    };
    const graphHeaders = {
      accept: 'application/graphql-response+json, application/json;q=0.9',
      'accept-language': 'en',
      'apollo-require-preflight': 'true',
    };
    // Warm the response cache (and check the read answers whole).
    const first = (await (await fetch(read(graph.gatewayUrl), { headers: graphHeaders })).json()) as {
      errors?: unknown[];
    };
    if (first.errors) throw new Error(`ReferenceDashboard answered with errors: ${JSON.stringify(first.errors)}`);

    const workloads: Workload[] = [
      {
        name: 'GET /health (baseline)',
        url: graph.gatewayUrl.replace(/graphql$/, 'health'),
        method: 'GET',
        headers: {},
      },
      { name: 'GET /dashboard (page)', url: `${dashboardUrl}?lang=en`, method: 'GET', headers: {} },
      {
        name: 'GET script, gzip',
        url: new URL(script, dashboardUrl).toString(),
        method: 'GET',
        headers: { 'accept-encoding': 'gzip' },
      },
      {
        name: 'GET ReferenceDashboard by id, cached',
        url: read(graph.gatewayUrl),
        method: 'GET',
        headers: graphHeaders,
      },
      {
        name: 'POST ReferenceDashboard by id, cached',
        url: graph.gatewayUrl,
        method: 'POST',
        headers: { ...graphHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({
          operationName: 'ReferenceDashboard',
          variables: { lang: 'EN' },
          extensions: { persistedQuery: { version: 1, sha256Hash: id } },
        }),
      },
      {
        name: 'GET ReferenceDashboard by id, cache off',
        url: read(uncached.url),
        method: 'GET',
        headers: graphHeaders,
      },
      {
        // As a browser asks for it: the answer compressed (brotli) on every hit.
        name: 'GET ReferenceDashboard cached, br',
        url: read(graph.gatewayUrl),
        method: 'GET',
        headers: { ...graphHeaders, 'accept-encoding': 'gzip, deflate, br' },
      },
    ];
    const results: Measured[] = [];
    for (const workload of workloads) {
      results.push(await load(workload, connections, seconds));
      const r = results.at(-1)!;
      out(
        `${r.name.padEnd(42)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99
          .toFixed(1)
          .padStart(
            6,
          )} ms  ${(r.bytesPerAnswer / 1024).toFixed(1)} KiB/answer  non-2xx ${r.non2xx}  errors ${r.errors}`,
      );
    }
    const baseline = results[0]!;
    out('');
    out(`ratios to ${baseline.name} (req/s: higher is faster; p50: lower is faster)`);
    for (const r of results.slice(1)) {
      out(
        `${r.name.padEnd(42)} rps ×${ratio(r.rps, baseline.rps)?.toFixed(2)}  p50 ×${ratio(r.p50, baseline.p50)?.toFixed(2) ?? '-'}`,
      );
    }
    const cached = results[3]!;
    const off = results[5]!;
    out(
      `cached vs cache off: rps ×${ratio(cached.rps, off.rps)?.toFixed(1)}, p50 ×${ratio(cached.p50, off.p50)?.toFixed(2)}`,
    );

    if (existsSync(CHROMIUM)) {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        /** One visit: ms from navigation to the figures on the page, and how the read was fetched. */
        const visit = async (context: Awaited<ReturnType<typeof browser.newContext>>) => {
          const page = await context.newPage();
          await page.goto(`${dashboardUrl}?lang=en`);
          await page.locator('body[data-state="ready"][data-lang="en"]').waitFor({ timeout: 60_000 });
          const timing = await page.evaluate(() => {
            const performance = (
              globalThis as unknown as {
                performance: {
                  getEntriesByName(name: string): { startTime: number }[];
                  getEntriesByType(type: string): { name: string; duration: number; transferSize: number }[];
                };
              }
            ).performance;
            const read = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/graphql?'));
            return {
              renderedMs: performance.getEntriesByName('dashboard:rendered')[0]?.startTime ?? Number.NaN,
              readMs: read?.duration ?? Number.NaN,
              readFromBrowserCache: read !== undefined && read.transferSize === 0,
            };
          });
          await page.close();
          return timing;
        };
        type Visit = Awaited<ReturnType<typeof visit>>;
        const cold: Visit[] = [];
        for (let i = 0; i < visits; i++) {
          const context = await browser.newContext();
          cold.push(await visit(context));
          await context.close();
        }
        const warmContext = await browser.newContext();
        await visit(warmContext);
        const warm: Visit[] = [];
        for (let i = 0; i < visits; i++) warm.push(await visit(warmContext));
        await warmContext.close();
        const summary = (name: string, runs: Visit[]) => {
          const rendered = median(runs.map((r) => r.renderedMs))!;
          const read = median(runs.map((r) => r.readMs))!;
          const cached = runs.filter((r) => r.readFromBrowserCache).length;
          out(
            `${name.padEnd(42)} rendered at ${rendered.toFixed(0)} ms, read took ${read.toFixed(1)} ms ` +
              `(median of ${runs.length}; from the browser's cache in ${cached})`,
          );
          return { rendered, read };
        };
        out('');
        const fresh = summary('page, fresh browser (nothing cached)', cold);
        const again = summary('page, warm browser (HTTP cache)', warm);
        out(
          `warm vs fresh: rendered ×${ratio(again.rendered, fresh.rendered)?.toFixed(2)}, ` +
            `read ×${ratio(again.read, fresh.read)?.toFixed(2)}`,
        );
      } finally {
        await browser.close();
      }
    } else {
      out(`\nno browser at ${CHROMIUM}: page loads not measured`);
    }
    out('');
    out(
      `page_rps_vs_health=${ratio(results[1]!.rps, baseline.rps)?.toFixed(2)} ` +
        `read_cached_rps_vs_health=${ratio(cached.rps, baseline.rps)?.toFixed(2)} ` +
        `read_cached_vs_off_rps=${ratio(cached.rps, off.rps)?.toFixed(1)}`,
    );
  } finally {
    await graph.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
