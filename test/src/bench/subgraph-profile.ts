import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readSupergraphConfig } from '@bicentennial/schema';
import { ensureDevelopmentKeys, mintToken } from '@bicentennial/service';
import { REPO_ROOT, startStack, type Stack } from '@bicentennial/tools/stack';
import { startInProcessGraph } from '../inProcess';
import { DASHBOARD, post } from '../operations';
import { createThrowawayDatabases, postgresReachable } from '../postgres';

/**
 * What the subgraphs spend on one uncached Dashboard:
 *
 *   npx tsx --conditions=@bicentennial/source test/src/bench/subgraph-profile.ts [--requests 200]
 *     [--warmup 30] [--caller public|staff|both] [--postgres] [--cpu-prof] [--no-statements]
 *
 * 1. Starts the graph as `npm start` runs it (every subgraph and the gateway its own process, on
 *    scratch embedded databases, or throwaway PostgreSQL databases with `--postgres`), sends
 *    `--warmup` Dashboards, then `--requests` more one after another, and prints each process's
 *    CPU (user + system, from /proc/<pid>/stat) per Dashboard. On the embedded database the SQL
 *    engine (PGlite, WebAssembly) runs inside each subgraph's process: its CPU is the subgraph's.
 * 2. With `--cpu-prof`, V8's sampling profiler runs in every subgraph (but audit) while the
 *    measured Dashboards run, and each subgraph's main-thread time is split by what was running:
 *    the SQL engine, Prisma, GraphQL execution, token verification, JSON, … (self time of the
 *    innermost frame, grouped by package), with the heaviest functions. Profiles are kept under
 *    .tmp/subgraph-profile/ (open them in Chrome DevTools).
 * 3. Starts the graph again in this process (`startInProcessGraph`: the same subgraphs with their
 *    Prisma clients counted) and prints the SQL statements each subgraph sends for one Dashboard.
 *
 * Figures, not a test: the machine is shared; compare runs of the same command.
 */

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '30' },
    caller: { type: 'string', default: 'both' },
    postgres: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'no-statements': { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(args.requests);
const WARMUP = Number(args.warmup);
const CALLERS = args.caller === 'both' ? ['public', 'staff'] : [args.caller];
if (!Number.isInteger(REQUESTS) || REQUESTS < 1) throw new Error('--requests must be a positive whole number');
if (!Number.isInteger(WARMUP) || WARMUP < 0) throw new Error('--warmup must be a whole number');
for (const c of CALLERS) if (c !== 'public' && c !== 'staff') throw new Error('--caller is public, staff or both');

/** The verified caller of the staff runs: U.S. staff, who read what is released to the U.S. as well. */
const STAFF = { subject: 'profile', agency: 'CBP', country: 'US', scopes: ['border-trade:write'] } as const;

/** The gateway's settings for Dashboards that are not answered from its response cache. */
const UNCACHED = { RESPONSE_CACHE: 'off', RESPONSE_CACHE_DEDUPE: 'off' };

const out = (line = '') => process.stdout.write(`${line}\n`);
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The fields of /proc/<pid>/stat after the command name (field 3 on), or undefined once it has gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * User + system CPU so far of a process and every process under it (the gateway's workers, when
 * it runs some), in milliseconds: fields 14 and 15 of /proc/<pid>/stat.
 */
function cpuMs(pid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const child = Number(entry);
    const fields = Number.isInteger(child) ? statFields(child) : undefined;
    if (fields) parents.set(child, Number(fields[1]));
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, parent] of parents) {
      if (tree.has(parent) && !tree.has(child)) grew = tree.add(child).size > 0;
    }
  }
  let ticks = 0;
  for (const member of tree) {
    const fields = statFields(member);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

async function dashboards(url: string, count: number, token: string | undefined): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { status, body } = await post(url, DASHBOARD, undefined, { token });
    if (status !== 200 || body.errors) throw new Error(`Dashboard failed (${status}): ${JSON.stringify(body.errors)}`);
  }
}

/**
 * Loaded into each profiled subgraph with NODE_OPTIONS (which may not carry --cpu-prof): the first
 * SIGUSR2 starts V8's sampling profiler in the process, the next stops it and writes the profile
 * to `<dir>/<n>.cpuprofile`, so that a profile holds the measured Dashboards and nothing else.
 */
const PROFILER_PRELOAD = `
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.env.SUBGRAPH_PROFILE_DIR;
const session = new Session();
session.connect();
let running = false;
let written = 0;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 250 }, () => session.post('Profiler.start')));
    return;
  }
  running = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) throw error;
    writeFileSync(join(dir, (written++) + '.cpuprofile'), JSON.stringify(result.profile));
  });
});
`;

function profileDir(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Waits for a file a child process writes (bounded generously: the machine may be busy). */
async function waitForFile(path: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each caller's CPU per Dashboard, by process name. */
type Measured = Map<string, Map<string, number>>;

async function measureProcesses(cpuProfDir: string | undefined): Promise<Measured> {
  const measured: Measured = new Map();
  const names = readSupergraphConfig().map((s) => s.name);
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-profile-'));
  const throwaway = args.postgres ? await createThrowawayDatabases(names) : undefined;
  const profiled = (name: string) => cpuProfDir !== undefined && name !== 'audit' && name !== 'gateway';
  let stack: Stack | undefined;
  const preload = cpuProfDir ? join(cpuProfDir, 'preload.cjs') : undefined;
  if (preload) writeFileSync(preload, PROFILER_PRELOAD);
  try {
    stack = await startStack({
      ports: 'ephemeral',
      env: { ...process.env, LOG_LEVEL: 'warn', DEV_KEYS_DIR: join(scratch, 'keys') },
      subgraphEnv: (name): Record<string, string> => ({
        ...(throwaway ? { DATABASE_URL: throwaway.urls.get(name)! } : { PGLITE_DIR: join(scratch, name) }),
        ...(profiled(name)
          ? { NODE_OPTIONS: `--require ${preload!}`, SUBGRAPH_PROFILE_DIR: profileDir(cpuProfDir!, name) }
          : {}),
      }),
      // Every Dashboard reaches the subgraphs (no response cache); no rate limit in the way of
      // sequential requests, and no status probes in the figures.
      gatewayEnv: { ...UNCACHED, RATE_LIMIT_CAPACITY: '0', STATUS_POLL_INTERVAL_MS: '3600000' },
      onLine: (service, line) => {
        if (!/"level":(10|20|30)/.test(line)) process.stderr.write(`${service}: ${line}\n`);
      },
    });
    const keys = await ensureDevelopmentKeys(stack.devKeysDir);
    const staffToken = await mintToken(keys.issuer.privateJwk, STAFF);
    const services = [...stack.subgraphs].map(([name, s]) => ({ name, pid: s.pid! }));
    services.push({ name: 'gateway', pid: stack.gateway.pid! });
    out(`database: ${throwaway ? 'PostgreSQL (throwaway databases; the server process is not counted)' : 'PGlite'}`);
    const profiledPids = cpuProfDir ? services.filter((s) => profiled(s.name)) : [];
    for (const [n, caller] of CALLERS.entries()) {
      const token = caller === 'staff' ? staffToken : undefined;
      await dashboards(stack.gatewayUrl, WARMUP, token);
      for (const s of profiledPids) process.kill(s.pid, 'SIGUSR2');
      const before = new Map(services.map((s) => [s.name, cpuMs(s.pid)]));
      const began = performance.now();
      await dashboards(stack.gatewayUrl, REQUESTS, token);
      const seconds = (performance.now() - began) / 1000;
      const after = new Map(services.map((s) => [s.name, cpuMs(s.pid)]));
      for (const s of profiledPids) process.kill(s.pid, 'SIGUSR2');
      for (const s of profiledPids) await waitForFile(join(cpuProfDir!, s.name, `${n}.cpuprofile`));
      out(
        `\n${caller === 'staff' ? 'U.S. staff (verified token)' : 'public (no token)'}: ${REQUESTS} Dashboards in ` +
          `${seconds.toFixed(1)} s, one at a time (${((seconds * 1000) / REQUESTS).toFixed(1)} ms each), after ${WARMUP} to warm up`,
      );
      out('  CPU per Dashboard (user + system):');
      let domainTotal = 0;
      const perProcess = new Map<string, number>();
      measured.set(caller, perProcess);
      for (const s of services) {
        const perRequest = (after.get(s.name)! - before.get(s.name)!) / REQUESTS;
        perProcess.set(s.name, perRequest);
        if (s.name !== 'gateway' && s.name !== 'audit') domainTotal += perRequest;
        out(`    ${s.name.padEnd(14)} ${perRequest.toFixed(2).padStart(7)} ms`);
      }
      out(`    ${'six subgraphs'.padEnd(14)} ${domainTotal.toFixed(2).padStart(7)} ms  (framework + five domains)`);
    }
  } finally {
    await stack?.stop();
    await throwaway?.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return measured;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What a frame belongs to, for the split of a subgraph's time. */
function categoryOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url.startsWith('wasm://')) return 'PGlite SQL engine (WebAssembly)';
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8/native (program)';
    if (/^(parse|stringify)$/.test(functionName)) return `JSON.${functionName} (native)`;
    return `native: ${functionName || '(anonymous)'}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg === '@electric-sql/pglite' || pkg === 'pglite-prisma-adapter') return `PGlite JS (${pkg})`;
    if (pkg.startsWith('@prisma/') || pkg === 'prisma') return `Prisma (${pkg})`;
    if (pkg === 'graphql' || pkg.startsWith('@apollo/') || pkg.startsWith('@graphql-tools/')) return `GraphQL (${pkg})`;
    if (pkg === 'jose') return 'token verification (jose)';
    return pkg;
  }
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length).split('/').slice(0, 2).join('/');
    return `node: ${module}`;
  }
  const repo = url.replace(/^file:\/\//, '').replace(`${REPO_ROOT}/`, '');
  if (repo.includes('/generated/prisma/')) return 'Prisma (generated client)';
  return `project: ${repo
    .split('/')
    .slice(0, repo.startsWith('schema/') ? 3 : 2)
    .join('/')}`;
}

/**
 * The split of one subgraph's profile. The sampler runs on the wall clock: on a busy machine a
 * sample also lands while the thread waits for a core, so the shares are what counts, and each is
 * also given as its part of the CPU /proc measured (`cpuPerRequest`, profiler overhead included).
 */
function analyseProfile(path: string, caller: string, cpuPerRequest: number): void {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  {
    const byCategory = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let busy = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = profile.timeDeltas[i] ?? 0;
      const node = nodes.get(profile.samples[i]!)!;
      if (node.callFrame.functionName === '(idle)') continue;
      // A sample's weight is the interval until the next one.
      const weight = (profile.timeDeltas[i + 1] ?? delta) / 1000;
      busy += weight;
      const category = categoryOf(node.callFrame);
      byCategory.set(category, (byCategory.get(category) ?? 0) + weight);
      const where = node.callFrame.url.replace(/^.*node_modules\//, '').replace(`file://${REPO_ROOT}/`, '');
      const fn = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + weight);
    }
    const share = (ms: number) =>
      `${((100 * ms) / busy).toFixed(1).padStart(5)} % ${((cpuPerRequest * ms) / busy).toFixed(2).padStart(6)} ms`;
    out(
      `  ${caller}: ${cpuPerRequest.toFixed(2)} ms CPU per Dashboard (profiled), main thread sampled busy ` +
        `${(busy / REQUESTS).toFixed(2)} ms`,
    );
    for (const [category, ms] of [...byCategory].sort((a, b) => b[1] - a[1]).slice(0, 16)) {
      out(`    ${share(ms)}  ${category}`);
    }
    out('    heaviest functions (self time):');
    for (const [fn, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
      out(`      ${share(ms)}  ${fn.slice(0, 150)}`);
    }
  }
}

async function countStatements(): Promise<void> {
  const graph = await startInProcessGraph({ gatewayEnv: UNCACHED });
  try {
    const staff = await graph.token(STAFF);
    for (const caller of CALLERS) {
      const token = caller === 'staff' ? staff : undefined;
      // Once to warm whatever a subgraph keeps between requests, then the counted one.
      await dashboards(graph.gatewayUrl, 1, token);
      for (const counter of graph.statements.values()) counter.reset();
      await dashboards(graph.gatewayUrl, 1, token);
      const counts = [...graph.statements].filter(([name]) => name !== 'audit').map(([name, c]) => [name, c.count]);
      out(`  ${caller}: ${counts.map(([name, count]) => `${name} ${count}`).join(', ')}`);
    }
  } finally {
    await graph.stop();
  }
}

async function main(): Promise<void> {
  if (args.postgres && !postgresReachable()) throw new Error('--postgres: PostgreSQL is not reachable');
  const cpuProfDir = args['cpu-prof'] ? join(REPO_ROOT, '.tmp', 'subgraph-profile', String(Date.now())) : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const measured = await measureProcesses(cpuProfDir);
  if (cpuProfDir) {
    out(`\nwhere each subgraph's time goes (V8 CPU profiles in ${cpuProfDir}):`);
    for (const { name } of readSupergraphConfig().filter((s) => s.name !== 'audit')) {
      out(`${name}:`);
      for (const [n, caller] of CALLERS.entries()) {
        analyseProfile(join(cpuProfDir, name, `${n}.cpuprofile`), caller, measured.get(caller)!.get(name)!);
      }
    }
  }
  if (!args['no-statements']) {
    out('\nSQL statements per Dashboard (in-process graph, after one Dashboard):');
    await countStatements();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  if (error instanceof Error && error.cause instanceof Error) process.stderr.write(`cause: ${error.cause.message}\n`);
  process.exitCode = 1;
});
