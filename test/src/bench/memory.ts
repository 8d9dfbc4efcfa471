import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSupergraphConfig } from '@bicentennial/schema';
import { residentMemory, startStack, type Stack } from '@bicentennial/tools/stack';
import { DASHBOARD, post } from '../operations';
import { allProcesses, processTree } from './harness/procfs';
import { createThrowawayDatabases, postgresReachable } from '../postgres';

/**
 * `npm run bench:memory`: the resident memory of the whole graph as `npm start` runs it — the
 * gateway (its primary and workers) and the seven subgraphs — right after start and after 50 Dashboard queries, on the embedded PGlite databases
 * and, as the baseline in the same run, on PostgreSQL (whose server memory is not counted: it
 * is the same machine-wide server either way). Prints MiB per process and the ratio.
 */
const QUERIES = 50;
const MiB = 2 ** 20;

interface Sample {
  /** Resident bytes of each service's process tree. */
  perProcess: Map<string, number>;
  processes: Map<string, number>;
  total: number;
}

/**
 * Each service's resident memory with its child processes (the gateway's workers under its
 * primary, GATEWAY_WORKERS), and how many processes that is.
 */
async function sample(stack: Stack): Promise<Sample> {
  const services = [['gateway', stack.gateway] as const, ...[...stack.subgraphs].map(([n, s]) => [n, s] as const)];
  const all = allProcesses();
  const trees = services.map(([name, s]) => [name, s.pid === undefined ? [] : processTree(s.pid, all)] as const);
  const rss = await residentMemory(trees.flatMap(([, pids]) => pids));
  const perProcess = new Map(
    trees.map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + (rss.get(pid) ?? 0), 0)]),
  );
  const processes = new Map(trees.map(([name, pids]) => [name, pids.length]));
  return { perProcess, processes, total: [...perProcess.values()].reduce((a, b) => a + b, 0) };
}

async function measure(database: 'pglite' | 'postgres'): Promise<{ started: Sample; loaded: Sample; seconds: number }> {
  const names = readSupergraphConfig().map((s) => s.name);
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-bench-'));
  const throwaway = database === 'postgres' ? await createThrowawayDatabases(names) : undefined;
  const began = Date.now();
  const stack = await startStack({
    ports: 'ephemeral',
    env: { ...process.env, LOG_LEVEL: 'warn' },
    subgraphEnv: (name): Record<string, string> =>
      throwaway ? { DATABASE_URL: throwaway.urls.get(name)! } : { PGLITE_DIR: join(scratch, name) },
    onLine: () => undefined,
  });
  try {
    const seconds = (Date.now() - began) / 1000;
    const started = await sample(stack);
    for (let i = 0; i < QUERIES; i++) {
      const { body } = await post(stack.gatewayUrl, DASHBOARD);
      if (body.errors) throw new Error(`Dashboard failed: ${JSON.stringify(body.errors)}`);
    }
    return { started, loaded: await sample(stack), seconds };
  } finally {
    await stack.stop();
    await throwaway?.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const line = (sample: Sample, name: string, bytes: number) => {
  const count = sample.processes.get(name) ?? 1;
  return `  ${name.padEnd(14)} ${mib(bytes)}${count > 1 ? ` (${count} processes)` : ''}`;
};

async function main(): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const pglite = await measure('pglite');
  out(`PGlite (npm start default): up in ${pglite.seconds.toFixed(1)} s`);
  for (const [name, bytes] of pglite.loaded.perProcess) out(line(pglite.loaded, name, bytes));
  out(
    `  total after start ${mib(pglite.started.total)}, after ${QUERIES} Dashboard queries ${mib(pglite.loaded.total)}`,
  );
  if (!postgresReachable()) {
    out('PostgreSQL not reachable: no baseline run');
    return;
  }
  const postgres = await measure('postgres');
  out(`PostgreSQL (baseline; server memory not counted): up in ${postgres.seconds.toFixed(1)} s`);
  for (const [name, bytes] of postgres.loaded.perProcess) out(line(postgres.loaded, name, bytes));
  out(
    `  total after start ${mib(postgres.started.total)}, after ${QUERIES} Dashboard queries ${mib(postgres.loaded.total)}`,
  );
  out(`ratio PGlite / PostgreSQL (after queries): ${(pglite.loaded.total / postgres.loaded.total).toFixed(2)}x`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
