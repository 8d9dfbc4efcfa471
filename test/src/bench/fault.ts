import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSupergraphConfig } from '@bicentennial/schema';
import { startStack } from '@bicentennial/tools/stack';
import { DASHBOARD, post, type DashboardData } from '../operations';
import { createThrowawayDatabases, postgresReachable } from '../postgres';
import { LoadGenerator } from './harness/load';
import type { LoadSummary } from './harness/loadSummary';
import { ratio } from './harness/stats';
import { BORDER_WALK } from './harness/workloads';

/**
 * `npm run bench:fault [-- --duration S --connections N]`: a domain subgraph killed under load.
 *
 * The graph as `npm start` runs it (PostgreSQL when it answers, else the embedded databases; it
 * says which), the response cache and deduplication off so that every request reaches the
 * subgraphs, no rate limit. Two streams at once, each from its own autocannon process: the
 * Dashboard (which reads firearms) and the border walk (framework, border-trade, public-health:
 * "the rest", which never reads firearms). Three measured phases of the same length: firearms up
 * (before, after a longer warm-up of the fresh graph), firearms killed with SIGKILL (its circuit opens within the first requests), and
 * firearms restarted on its port (after: the gateway is not restarted). Between the second and the
 * third, the time until the first whole Dashboard is measured.
 *
 * Prints each phase's figures and ends with one line:
 *   walk_p99_killed_vs_up=<x> walk_rps_killed_vs_up=<y> walk_errors_killed=<n> recovered_after_s=<s>
 * where "up" is the mean of the before and after phases (both with firearms up), so that a drift
 * of the machine over the run shows as a difference between them rather than as the kill's doing.
 */

interface Options {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { durationSeconds: 10, warmupSeconds: 2, connections: 16 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    const positive = Number.isInteger(value) && value > 0;
    if (flag === '--help') {
      process.stdout.write(
        'npm run bench:fault [-- --duration S (10) --warmup S (2) --connections N (16 per stream)]\n',
      );
      process.exit(0);
    }
    if (!positive) throw new Error(`${flag} needs a positive whole number (got ${argv[i + 1]})`);
    if (flag === '--duration') options.durationSeconds = value;
    else if (flag === '--warmup') options.warmupSeconds = value;
    else if (flag === '--connections') options.connections = value;
    else throw new Error(`unknown option ${flag} (--help lists them)`);
    i++;
  }
  return options;
}

type Phase = 'before' | 'killed' | 'after';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const names = readSupergraphConfig().map((s) => s.name);
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-bench-fault-'));
  const onPostgres = postgresReachable();
  const throwaway = onPostgres ? await createThrowawayDatabases(names) : undefined;
  out(
    `databases: ${onPostgres ? 'PostgreSQL at 127.0.0.1:5432 (a throwaway database per subgraph)' : 'embedded PGlite (PostgreSQL did not answer)'}`,
  );
  const stack = await startStack({
    ports: 'ephemeral',
    env: { ...process.env, LOG_LEVEL: 'warn' },
    gatewayEnv: {
      RATE_LIMIT_CAPACITY: '0',
      RESPONSE_CACHE: 'off',
      RESPONSE_CACHE_DEDUPE: 'off',
    },
    subgraphEnv: (name): Record<string, string> =>
      throwaway ? { DATABASE_URL: throwaway.urls.get(name)! } : { PGLITE_DIR: join(scratch, name) },
    onLine: () => undefined,
  });
  const generators = await Promise.all([LoadGenerator.start(), LoadGenerator.start()]);
  try {
    const firearms = stack.subgraphs.get('firearms')!;
    const gatewayPid = stack.gateway.pid;
    const request = (body: string, warmupSeconds: number) => ({
      url: stack.gatewayUrl,
      connections: options.connections,
      warmupSeconds,
      durationSeconds: options.durationSeconds,
      timeoutSeconds: 30,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const walkBody = JSON.stringify({ query: BORDER_WALK });
    const dashboardBody = JSON.stringify({ query: DASHBOARD });
    const check = await post(stack.gatewayUrl, BORDER_WALK);
    if (check.body.errors) throw new Error(`the border walk failed: ${JSON.stringify(check.body.errors)}`);

    const phases = new Map<Phase, { walk: LoadSummary; dashboard: LoadSummary }>();
    const run = async (phase: Phase) => {
      // The first phase warms a fresh graph longer (JIT, connection pools, snapshots).
      const warmup = phase === 'before' ? Math.max(8, options.warmupSeconds) : options.warmupSeconds;
      const [walk, dashboard] = await Promise.all([
        generators[0].run(request(walkBody, warmup)),
        generators[1].run(request(dashboardBody, warmup)),
      ]);
      phases.set(phase, { walk, dashboard });
      out(
        `${phase.padEnd(6)}  walk: ${walk.rps.toFixed(0)} rps, p50 ${walk.p50Ms} ms, p99 ${walk.p99Ms} ms, ${walk.graphqlErrors + walk.non2xx + walk.socketErrors + walk.timeouts} errors · ` +
          `Dashboard: ${dashboard.responses} answers, ${dashboard.graphqlErrors} with errors, p99 ${dashboard.p99Ms} ms, ${dashboard.non2xx + dashboard.socketErrors + dashboard.timeouts} failed requests`,
      );
    };

    await run('before');
    process.kill(firearms.pid!, 'SIGKILL');
    await run('killed');
    const restarting = performance.now();
    await firearms.restart();
    let recoveredAfter: number | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { body } = await post<DashboardData>(stack.gatewayUrl, DASHBOARD);
      if (!body.errors) {
        recoveredAfter = (performance.now() - restarting) / 1000;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (recoveredAfter === undefined) throw new Error('no whole Dashboard within 60 s of the restart');
    await run('after');
    if (stack.gateway.pid !== gatewayPid) throw new Error('the gateway process changed during the run');

    const before = phases.get('before')!;
    const killed = phases.get('killed')!;
    const after = phases.get('after')!;
    const mean = (a: number, b: number) => (a + b) / 2;
    const walkErrors = (s: LoadSummary) => s.graphqlErrors + s.non2xx + s.socketErrors + s.timeouts;
    const p99Ratio = ratio(killed.walk.p99Ms, mean(before.walk.p99Ms, after.walk.p99Ms));
    const rpsRatio = ratio(killed.walk.rps, mean(before.walk.rps, after.walk.rps));
    out('');
    out(
      `firearms killed under load (${options.connections} connections per stream, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per phase; Node ${process.version}):`,
    );
    out(
      `  the rest (border walk): p99 ${before.walk.p99Ms} ms up, ${killed.walk.p99Ms} ms killed, ${after.walk.p99Ms} ms restarted; errors while killed: ${walkErrors(killed.walk)}`,
    );
    out(
      `  Dashboard while killed: ${killed.dashboard.graphqlErrors} of ${killed.dashboard.responses} answers name an error (firearms' part), ${killed.dashboard.non2xx + killed.dashboard.socketErrors + killed.dashboard.timeouts} requests failed; before: ${before.dashboard.graphqlErrors} with errors`,
    );
    out(`  whole Dashboard ${recoveredAfter.toFixed(1)} s after firearms was started again (same gateway process)`);
    out(
      `walk_p99_killed_vs_up=${p99Ratio?.toFixed(2) ?? 'n/a'} walk_rps_killed_vs_up=${rpsRatio?.toFixed(2) ?? 'n/a'} walk_errors_killed=${walkErrors(killed.walk)} recovered_after_s=${recoveredAfter.toFixed(1)}`,
    );
  } finally {
    await Promise.all(generators.map((g) => g.stop()));
    await stack.stop();
    await throwaway?.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
