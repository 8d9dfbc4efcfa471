import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { forApolloGateway } from '@bicentennial/gateway';
import { ANONYMOUS, readSupergraphConfig, SUPERGRAPH_PATH } from '@bicentennial/schema';
import { createInternalSigner, mintToken, readPrivateJwkFile } from '@bicentennial/service';
import { REPO_ROOT, startStack, type Stack } from '@bicentennial/tools/stack';
import pg from 'pg';
import { createThrowawayDatabases, POSTGRES_ADMIN_URL, postgresReachable } from '../postgres';
import {
  apolloLaunch,
  freePort,
  hiveLaunch,
  launchGateway,
  oursLaunch,
  type GatewayLaunch,
  type OursSettings,
  type RunningGateway,
  type SubgraphTokens,
} from './harness/contenders';
import { LoadGenerator } from './harness/load';
import { errorCount, type LoadSummary } from './harness/loadSummary';
import { perAnswer, PostgresBackends, RunProbe, type ProbeResult } from './harness/measure';
import { parseBenchOptions, USAGE, type BenchOptions, type GatewayName, type WorkloadName } from './harness/options';
import { clockTicksPerSecond, procfsAvailable } from './harness/procfs';
import {
  dashboardRates,
  formatMarkdown,
  formatText,
  GATEWAY_TITLES,
  resultsTable,
  subgraphTable,
  summarizeCell,
  summaryLine,
  type Cell,
} from './harness/report';
import { firstDifference } from './harness/stats';
import { withSubgraphUrls } from './harness/supergraph';
import { BENCH_ANALYST, requestBody, WORKLOAD_DEFINITIONS, type CallerKind, type Workload } from './harness/workloads';
import { rowsPerSecond, runScript } from './run';

/**
 * `npm run bench [-- --quick | --rounds N --warmup S --duration S --rows N …]` (`--help` lists
 * them): our gateway against a plain @apollo/gateway server and Hive Gateway, on the same
 * subgraphs, supergraph file and port, with authentication on.
 *
 * 1. Starts the seven subgraphs once (the stack runner, without its gateway): on throwaway
 *    PostgreSQL databases in the production profile when PostgreSQL answers, else on scratch
 *    embedded databases (development profile: production refuses PGlite), with key files of
 *    their own (`npm run keys`), and loads `--rows` synthetic drug seizures into border-trade.
 * 2. Runs each gateway in turn on one port, over the composed supergraph with this run's subgraph
 *    URLs: ours as its image does (built, PROFILE=production, rate limit off, response cache off
 *    but for the cached Dashboard); the peers with their defaults plus the internal token each
 *    subgraph needs (anonymous, or a verified analyst's for the records workload), signed for the
 *    length of the run.
 * 3. Checks that each answers each workload with our `data`; one that cannot, or differs, is
 *    reported and not timed.
 * 4. Rounds of A B C …: per gateway and workload, a warm-up, then a measured run of autocannon
 *    (its own process) with CPU per answer of the gateway's process tree, of each subgraph (and
 *    its PostgreSQL connections) and the gateway's peak memory. Medians across rounds.
 * 5. Prints the tables, writes them as JSON and Markdown under `.bench/`, and ends with the line
 *    `ratio_vs_apollo_gateway=… ratio_vs_hive_gateway=… cache_speedup=…` for the Dashboard.
 *
 * Figures of a shared 2-core machine: the load generator, the gateways, the subgraphs and
 * PostgreSQL share the cores; compare figures of one run, not of two.
 */

const exec = promisify(execFile);
const out = (line = '') => process.stdout.write(`${line}\n`);

/** Above this, loading the embedded database (about 10,000 rows/s) takes too long for a bench run. */
const PGLITE_MAX_ROWS = 250_000;
const ISSUER = 'https://issuer.bench.invalid';
const AUDIENCE = 'bicentennial-graph';

type DatabaseKind = 'postgres' | 'pglite';

/** Things to undo, last first, whether the run ends, fails or is interrupted. */
class Cleanup {
  private readonly steps: { what: string; undo: () => Promise<void> | void }[] = [];
  add(what: string, undo: () => Promise<void> | void): void {
    this.steps.push({ what, undo });
  }
  async run(): Promise<void> {
    for (const { what, undo } of this.steps.splice(0).reverse()) {
      try {
        await undo();
      } catch (error) {
        process.stderr.write(`cleanup: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function build(): Promise<void> {
  const began = Date.now();
  try {
    await exec('npm', ['run', 'build'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      maxBuffer: 2 ** 26,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed (our gateway runs its built code):\n${`${stdout}${stderr}`.slice(-4000)}`);
  }
  out(`built (npm run build) in ${seconds(began)}`);
}

/**
 * The Apollo peer compiled to JavaScript in `dir` (tsc without its type check, which `npm run
 * typecheck` does), so that it runs on plain `node` as ours does: under tsx its process held
 * 30–57 MiB more (tsx's loader thread and esbuild), which would count as the peer's memory.
 */
async function compileApolloPeer(dir: string): Promise<string> {
  const tsc = join(require.resolve('typescript/package.json'), '..', 'bin', 'tsc');
  const source = join(__dirname, 'peers', 'apollo-gateway.ts');
  const args = [tsc, source, '--outDir', dir, '--rootDir', join(__dirname, 'peers')];
  args.push('--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node');
  args.push('--skipLibCheck', '--noCheck', '--esModuleInterop');
  try {
    await exec(process.execPath, args, { cwd: REPO_ROOT });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`could not compile ${relative(REPO_ROOT, source)}:\n${stdout}${stderr}`);
  }
  return join(dir, 'apollo-gateway.js');
}

/** Generates the production key files with `npm run keys` (the internal pair and a stand-in issuer). */
async function generateKeys(dir: string) {
  const result = await runScript(join('schema', 'tools', 'src', 'keys', 'cli.ts'), ['--out', dir, '--issuer']);
  if (result.code !== 0) throw new Error(`npm run keys failed:\n${result.stdout}${result.stderr}`);
  return {
    internalPrivatePath: join(dir, 'internal.private.json'),
    internalJwksPath: join(dir, 'internal.jwks.json'),
    issuerPrivatePath: join(dir, 'issuer.private.json'),
    issuerJwksPath: join(dir, 'issuer.jwks.json'),
  };
}

/** border-trade's own synthetic loader (`npm run synthetic -w subgraphs/border-trade`). */
async function loadSeizures(rows: number, env: Record<string, string>): Promise<void> {
  const began = Date.now();
  const result = await runScript(
    join('subgraphs', 'border-trade', 'src', 'cli', 'synthetic.ts'),
    ['--scale', String(rows), '--interdictions', '0'],
    // A loader of synthetic rows refuses the production profile: it writes the same database the
    // production-profile subgraph serves, as a development tool.
    { ...env, PROFILE: 'development' },
  );
  if (result.code !== 0) throw new Error(`loading synthetic drug seizures failed:\n${result.stderr}`);
  out(
    `loaded ${rows.toLocaleString('en-US')} synthetic drug seizures in ${seconds(began)} (${rowsPerSecond(result.stdout).toLocaleString('en-US')} rows/s)`,
  );
}

/** The estimated length of a run, for the message and the lifetime of the peers' tokens. */
function estimateSeconds(options: BenchOptions, slotsPerRound: number, launchesPerRound: number): number {
  const perRun = options.warmupSeconds + options.durationSeconds + 1.5;
  return options.rounds * (slotsPerRound * perRun + launchesPerRound * 8);
}

interface Check {
  ok: boolean;
  reason?: string;
  data?: unknown;
}

/** Asks one workload once and compares the answer's `data` with ours (`reference`), if given. */
async function check(
  url: string,
  workload: Workload,
  headers: Record<string, string>,
  reference: unknown,
): Promise<Check> {
  let status: number;
  let body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: requestBody(workload),
      signal: AbortSignal.timeout(60_000),
    });
    status = response.status;
    const text = await response.text();
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { ok: false, reason: `HTTP ${status}, not JSON: ${text.slice(0, 200)}` };
    }
  } catch (error) {
    return { ok: false, reason: `no answer: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (body.errors?.length) {
    const errors = body.errors
      .slice(0, 2)
      .map((e) => `${e.extensions?.code ?? 'error'}: ${e.message}`)
      .join('; ');
    return { ok: false, reason: `cannot answer (HTTP ${status}, ${body.errors.length} errors: ${errors})` };
  }
  if (status !== 200) return { ok: false, reason: `HTTP ${status}` };
  if (body.data === null || body.data === undefined) return { ok: false, reason: 'answered data: null' };
  if (reference !== undefined) {
    const difference = firstDifference(body.data, reference);
    if (difference) return { ok: false, reason: `answers other data than ours (${difference})` };
  }
  return { ok: true, data: body.data };
}

/** One launch of a gateway and the workloads it runs. */
interface Plan {
  gateway: GatewayName;
  launch: () => GatewayLaunch;
  workloads: Workload[];
}

const describeLoad = (load: LoadSummary) => {
  if (load.responses === 0) return `no response came back in ${load.seconds.toFixed(1)} s`;
  const errors = errorCount(load);
  return `${Math.round(load.rps).toLocaleString('en-US')} rps, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, ${errors} errors`;
};

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  if (options.help) {
    out(USAGE);
    return;
  }
  if (!procfsAvailable()) throw new Error('npm run bench reads CPU and memory from /proc: it runs on Linux only');
  const began = Date.now();
  const loadBefore = loadavg();
  const cleanup = new Cleanup();
  let interrupted = false;
  const interrupt = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping every process and dropping the bench's databases…\n`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));

  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  // Under the repository (git-ignored .tmp/): the compiled peer finds its packages in node_modules.
  const scratch = mkdtempSync(join(REPO_ROOT, '.tmp', 'bench-gateways-'));
  cleanup.add('scratch folder', () => rmSync(scratch, { recursive: true, force: true }));

  try {
    if (options.build) await build();

    const subgraphNames = readSupergraphConfig().map((s) => s.name);
    const database: DatabaseKind = !options.pglite && postgresReachable() ? 'postgres' : 'pglite';
    out(
      database === 'postgres'
        ? `databases: PostgreSQL at ${new URL(POSTGRES_ADMIN_URL).host} (a throwaway database per subgraph, dropped at the end); subgraphs in the production profile`
        : `databases: embedded PGlite (${options.pglite ? '--pglite' : `PostgreSQL not reachable at ${new URL(POSTGRES_ADMIN_URL).host}`}); subgraphs in the development profile (production refuses PGlite), without the synthetic sample, with the bench's keys`,
    );

    const keys = await generateKeys(join(scratch, 'keys'));

    // The filtered page needs the synthetic seizures; on the embedded database only a few.
    let seizureRows = options.workloads.some((w) => w.startsWith('seizures')) ? options.rows : 0;
    let seizuresSkipped: string | undefined;
    if (database === 'pglite' && seizureRows > PGLITE_MAX_ROWS) {
      seizuresSkipped =
        `not run: loading ${seizureRows.toLocaleString('en-US')} rows into the embedded database would take about ` +
        `${Math.ceil(seizureRows / 10_000 / 60)} min; run it on PostgreSQL, or with --rows ${PGLITE_MAX_ROWS} or fewer`;
      out(`seizure page ${seizuresSkipped}`);
      seizureRows = 0;
    }

    const throwaway = database === 'postgres' ? await createThrowawayDatabases(subgraphNames) : undefined;
    if (throwaway) cleanup.add('throwaway databases', () => throwaway.drop());
    const pgliteDir = join(scratch, 'pglite');
    if (database === 'pglite' && seizureRows > 0) {
      // An embedded database takes one process at a time: loaded before its subgraph starts.
      await loadSeizures(seizureRows, { PGLITE_DIR: join(pgliteDir, 'border-trade') });
    }

    const startedStack = Date.now();
    const stack: Stack = await startStack({
      ports: 'ephemeral',
      startGateway: false,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      subgraphEnv: (name): Record<string, string> => ({
        GATEWAY_JWKS_PATH: keys.internalJwksPath,
        ...(throwaway
          ? { PROFILE: 'production', DATABASE_URL: throwaway.urls.get(name)! }
          : { PROFILE: 'development', PGLITE_DIR: join(pgliteDir, name), SYNTHETIC_SAMPLE: 'false' }),
      }),
      // LOG_LEVEL=warn: only warnings and errors (and output that is not a log line) reach here.
      onLine: (service, line) => process.stderr.write(`[${service}] ${line}\n`),
    });
    cleanup.add('subgraphs', () => stack.stop());
    out(`${stack.subgraphs.size} subgraphs up in ${seconds(startedStack)}`);

    if (throwaway && seizureRows > 0) {
      const url = throwaway.urls.get('border-trade')!;
      await loadSeizures(seizureRows, { DATABASE_URL: url });
      // Statistics and the visibility map for the planner, as autovacuum would give them later.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('VACUUM (ANALYZE) "DrugSeizure"');
      } finally {
        await client.end();
      }
    }

    // One supergraph file for every gateway, with this run's subgraph URLs.
    const urls = new Map([...stack.subgraphs].map(([name, service]) => [name, service.url]));
    const supergraphPath = join(scratch, 'supergraph.graphql');
    const apolloSupergraphPath = join(scratch, 'supergraph.apollo.graphql');
    const supergraph = withSubgraphUrls(readFileSync(SUPERGRAPH_PATH, 'utf8'), urls);
    writeFileSync(supergraphPath, supergraph);
    writeFileSync(apolloSupergraphPath, forApolloGateway(supergraph));

    // Plans: which launches run which workloads.
    const selected = options.workloads.map((name) => WORKLOAD_DEFINITIONS[name]);
    const forLaunch = (predicate: (w: Workload) => boolean) => selected.filter(predicate);
    const cells = new Map<string, Cell>();
    const cellOf = (gateway: GatewayName, workload: WorkloadName) => {
      const key = `${gateway} ${workload}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = { gateway, workload, measurements: [] };
        cells.set(key, cell);
      }
      return cell;
    };
    if (seizuresSkipped) {
      for (const gateway of options.gateways) {
        for (const workload of options.workloads.filter((w) => w.startsWith('seizures'))) {
          cellOf(gateway, workload).notTimed = seizuresSkipped;
        }
      }
    }

    const port = await freePort();
    const rounds = options.rounds;
    const slots = options.gateways.reduce(
      (n, g) => n + selected.filter((w) => (g === 'ours' ? true : !w.cached)).length,
      0,
    );
    const estimate = estimateSeconds(options, slots, options.gateways.length * 2);
    const ttlSeconds = Math.ceil(estimate * 3) + 3_600;

    // Tokens: ours verifies a caller's bearer token and signs internal tokens itself; the peers
    // send fixed internal tokens, anonymous or the analyst's, valid for the whole run.
    const signer = await createInternalSigner({ privateJwk: readPrivateJwkFile(keys.internalPrivatePath), ttlSeconds });
    const tokensFor = async (caller: CallerKind): Promise<SubgraphTokens> =>
      Object.fromEntries(
        await Promise.all(
          subgraphNames.map(
            async (name) => [name, await signer.sign(caller === 'public' ? ANONYMOUS : BENCH_ANALYST, name)] as const,
          ),
        ),
      );
    const peerTokens = { public: await tokensFor('public'), verified: await tokensFor('verified') };
    const analystToken = await mintToken(readPrivateJwkFile(keys.issuerPrivatePath), {
      subject: BENCH_ANALYST.subject!,
      agency: BENCH_ANALYST.agency!,
      country: 'US',
      scopes: BENCH_ANALYST.scopes,
      issuer: ISSUER,
      audience: AUDIENCE,
      ttlSeconds,
    });
    const oursSettings: OursSettings = {
      supergraphPath,
      issuerJwksPath: keys.issuerJwksPath,
      issuer: ISSUER,
      audience: AUDIENCE,
      internalSigningKeyPath: keys.internalPrivatePath,
      auditSpoolDir: join(scratch, 'audit-spool'),
    };
    const apolloPeer = options.gateways.includes('apollo') ? await compileApolloPeer(join(scratch, 'peers')) : '';

    const plans: Plan[] = [];
    for (const gateway of options.gateways) {
      if (gateway === 'ours') {
        plans.push({
          gateway,
          launch: () => oursLaunch(oursSettings, port, false),
          workloads: forLaunch((w) => !w.cached),
        });
        plans.push({
          gateway,
          launch: () => oursLaunch(oursSettings, port, true),
          workloads: forLaunch((w) => w.cached),
        });
        continue;
      }
      // The peers have no response cache in their defaults: their Dashboard stands for the cached one too.
      for (const caller of ['public', 'verified'] as const) {
        const workloads = forLaunch((w) => !w.cached && w.caller === caller);
        const launch =
          gateway === 'apollo'
            ? () => apolloLaunch(apolloPeer, apolloSupergraphPath, scratch, caller, peerTokens[caller], port)
            : () => hiveLaunch(supergraphPath, scratch, caller, peerTokens[caller], port);
        plans.push({ gateway, launch, workloads });
      }
    }

    const loadGenerator = await LoadGenerator.start();
    cleanup.add('load generator', () => loadGenerator.stop());
    const backends = throwaway ? await PostgresBackends.connect(POSTGRES_ADMIN_URL, throwaway.urls) : undefined;
    if (backends) cleanup.add('PostgreSQL probe', () => backends.close());
    const ticksPerSecond = clockTicksPerSecond();
    const subgraphPids = new Map([...stack.subgraphs].map(([name, service]) => [name, service.pid!]));

    out(
      `${rounds} round(s) of ${options.gateways.map((g) => GATEWAY_TITLES[g]).join(', ')}; ${options.connections} connections, ` +
        `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per workload; about ${Math.ceil(estimate / 60)} min`,
    );

    // Our answers, by workload query and caller: what every gateway must answer.
    const references = new Map<string, unknown>();
    const referenceKey = (w: Workload) => `${w.caller}\n${w.query}`;
    let oursFailed = false;

    for (let round = 1; round <= rounds; round++) {
      for (const plan of plans) {
        const pending = plan.workloads.filter((w) => cellOf(plan.gateway, w.name).notTimed === undefined);
        if (pending.length === 0) continue;
        const launch = plan.launch();
        let running: RunningGateway;
        try {
          running = await launchGateway(launch, port);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          out(`round ${round} · ${GATEWAY_TITLES[plan.gateway]} (${launch.variant}) did not start`);
          process.stderr.write(`${message}\n`);
          for (const w of pending) cellOf(plan.gateway, w.name).notTimed = `did not start: ${message.split('\n')[0]}`;
          if (plan.gateway === 'ours') oursFailed = true;
          continue;
        }
        try {
          for (const workload of pending) {
            const cell = cellOf(plan.gateway, workload.name);
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (plan.gateway === 'ours' && workload.caller === 'verified')
              headers['authorization'] = `Bearer ${analystToken}`;
            const label = `round ${round}/${rounds} · ${workload.title} · ${GATEWAY_TITLES[plan.gateway]}`;
            if (round === 1) {
              const key = referenceKey(workload);
              if (plan.gateway !== 'ours' && !references.has(key)) {
                cell.notTimed = 'not compared: our gateway did not answer it';
                continue;
              }
              const result = await check(running.url, workload, headers, references.get(key));
              if (!result.ok) {
                cell.notTimed = result.reason!;
                out(`${label}: not timed: ${result.reason}`);
                if (plan.gateway === 'ours') oursFailed = true;
                continue;
              }
              if (plan.gateway === 'ours' && !references.has(key)) references.set(key, result.data);
            }
            let probe: RunProbe | undefined;
            let measured: ProbeResult | undefined;
            const load = await loadGenerator.run(
              {
                url: running.url,
                connections: options.connections,
                warmupSeconds: options.warmupSeconds,
                durationSeconds: options.durationSeconds,
                timeoutSeconds: 30,
                headers,
                body: requestBody(workload),
              },
              {
                start: async () => {
                  probe = await RunProbe.begin(
                    {
                      gateway: running.pid,
                      subgraphs: subgraphPids,
                      loadGenerator: loadGenerator.pid,
                      database: backends,
                    },
                    ticksPerSecond,
                  );
                },
                end: async () => {
                  measured = await probe!.end();
                },
              },
            );
            cell.measurements.push({ round, load, ...perAnswer(measured!, load.responses) });
            out(`${label}: ${describeLoad(load)}`);
            if (load.errorSample) process.stderr.write(`  first GraphQL error answer: ${load.errorSample}\n`);
          }
        } finally {
          await running.stop();
        }
      }
    }

    // Stop everything before the report, so that the summary line is the last one printed.
    await cleanup.run();
    const loadAfter = loadavg();
    const all = [...cells.values()];
    const titles = Object.fromEntries(Object.values(WORKLOAD_DEFINITIONS).map((w) => [w.name, w.title])) as Record<
      WorkloadName,
      string
    >;
    const results = resultsTable(all, titles);
    const perSubgraph = subgraphTable(all, titles, subgraphNames);
    const line = summaryLine(dashboardRates(all));

    const settings = [
      `${database === 'postgres' ? 'PostgreSQL (subgraphs in the production profile)' : 'embedded PGlite (subgraphs in the development profile)'}`,
      `${rounds} round(s), ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per run`,
      `${seizureRows.toLocaleString('en-US')} synthetic seizures`,
      `Node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore[0]!.toFixed(1)} before and ${loadAfter[0]!.toFixed(1)} after`,
    ].join('; ');
    out();
    out(`gateway benchmark: ${settings}; ${seconds(began)}`);
    out(
      'rps: answers without errors per second (median of rounds); CPU per answer; RSS: peak of the whole process tree',
    );
    out();
    out(formatText(results));
    out();
    out('CPU ms per answer of each subgraph process (on PostgreSQL, + its database connections):');
    out(formatText(perSubgraph));

    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const outDir = isAbsolute(options.outDir) ? options.outDir : join(REPO_ROOT, options.outDir);
    mkdirSync(outDir, { recursive: true });
    const jsonPath = join(outDir, `gateways-${stamp}.json`);
    const markdownPath = join(outDir, `gateways-${stamp}.md`);
    writeFileSync(
      jsonPath,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          settings: {
            ...options,
            database,
            seizureRows,
            ticksPerSecond,
            gatewayWorkers: process.env['GATEWAY_WORKERS'] ?? null,
          },
          machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadBefore, loadAfter },
          workloads: Object.fromEntries(
            selected.map((w) => [w.name, { title: w.title, caller: w.caller, query: w.query }]),
          ),
          cells: all.map((cell) => ({ ...cell, summary: summarizeCell(cell) })),
          summary: line,
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(
      markdownPath,
      [
        '# Gateway benchmark',
        '',
        `\`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`, ${new Date().toISOString().slice(0, 10)}: ${settings}.`,
        '',
        'rps: answers without errors per second, median of the rounds; p50/p99: latency of the measured runs (medians);',
        'errors: non-2xx, GraphQL errors, connection errors and timeouts (all rounds); CPU: user + system per answer;',
        'RSS: peak resident memory of the gateway process tree (its processes and the largest one in brackets). The peers have no response',
        'cache by default: their Dashboard row stands for the cached one too.',
        '',
        formatMarkdown(results),
        '',
        'CPU ms per answer of each subgraph process (on PostgreSQL, + its database connections):',
        '',
        formatMarkdown(perSubgraph),
        '',
        '```',
        line,
        '```',
        '',
      ].join('\n'),
    );
    out();
    out(`wrote ${relative(REPO_ROOT, jsonPath)} and ${relative(REPO_ROOT, markdownPath)}`);
    if (oursFailed) {
      process.stderr.write('our gateway failed a workload (see above): its figures are incomplete\n');
      process.exitCode = 1;
    }
    out(line);
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
