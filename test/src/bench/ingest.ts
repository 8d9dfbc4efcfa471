import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSubgraphEnv, startSubgraph } from '@bicentennial/subgraph-kit';
import { silentLogger } from '@bicentennial/service';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import { drugSeizureFile, rowsPerSecond, runScript } from './run';

/**
 * `npm run bench:ingest [-- <rows>]`: `npm run ingest` of 10,000 drug seizures (the baseline) and of
 * `rows` (default 100,000; e.g. 1000000) into a running border-trade subgraph (embedded database).
 * Prints rows per second and the ingest process's peak resident memory for each; the ratio of peak
 * memory shows whether memory stays flat as the file grows.
 */
async function main(): Promise<void> {
  const baseline = 10_000;
  const rowsArgument = process.argv[2] ?? '100000';
  const large = Number(rowsArgument.replace(/[_,]/g, ''));
  if (!Number.isInteger(large) || large <= baseline) {
    throw new Error(`rows must be a whole number above ${baseline.toLocaleString('en-US')} (got ${rowsArgument})`);
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-bench-'));
  const subgraph = await startSubgraph(
    {
      name: 'border-trade',
      env: readSubgraphEnv({ port: 0, pgliteDir: join(scratch, 'pglite') }, { LOG_LEVEL: 'silent' }),
      migrationsDir: borderTrade.MIGRATIONS_DIR,
      createPrisma: (adapter) => borderTrade.createPrisma(adapter),
      seed: (prisma, logger) => borderTrade.seed(prisma, logger),
      createServer: (logger) => borderTrade.createServer(logger),
      createContext: (prisma, caller) => borderTrade.createContext(prisma, caller),
    },
    silentLogger,
  );
  try {
    const results: { rows: number; rate: number; peak: number }[] = [];
    for (const rows of [baseline, large]) {
      const file = join(scratch, `drug-seizures.${rows}.csv`);
      await drugSeizureFile(file, `BENCH${rows}`, rows);
      const run = await runScript('schema/tools/src/ingest/cli.ts', [
        '--subgraph',
        'border-trade',
        '--url',
        subgraph.url,
        '--file',
        file,
        '--batch-size',
        '1000',
      ]);
      if (run.code !== 0) throw new Error(run.stderr);
      const peak = Number(/peak RSS (\d+) MiB/.exec(run.stdout)?.[1]);
      results.push({ rows, rate: rowsPerSecond(run.stdout), peak });
      out(`${rows.toLocaleString('en-US').padStart(9)} rows: ${run.stdout.trim()}`);
    }
    const [small, big] = results;
    out(
      `ratio ${large.toLocaleString('en-US')} / ${baseline.toLocaleString('en-US')} rows: ` +
        `peak memory ${(big!.peak / small!.peak).toFixed(2)}x, rows per second ${(big!.rate / small!.rate).toFixed(2)}x`,
    );
  } finally {
    await subgraph.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
