import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSubgraphEnv, silentLogger, startSubgraph } from '@bicentennial/schema';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import { drugSeizureFile, rowsPerSecond, runScript } from './run';

/**
 * `npm run bench:ingest`: `npm run ingest` of 10,000 and of 100,000 drug seizures into a running
 * border-trade subgraph (embedded database). Prints rows per second and the ingest process's peak
 * resident memory for each; the 100k/10k ratio of peak memory shows whether memory stays flat.
 */
async function main(): Promise<void> {
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
      createContext: (prisma) => borderTrade.createContext(prisma),
    },
    silentLogger,
  );
  try {
    const results: { rows: number; rate: number; peak: number }[] = [];
    for (const rows of [10_000, 100_000]) {
      const file = join(scratch, `drug-seizures.${rows}.csv`);
      await drugSeizureFile(file, `BENCH${rows}`, rows);
      const run = await runScript('schema/src/ingest/cli.ts', [
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
      out(`${rows.toLocaleString('en-US').padStart(7)} rows: ${run.stdout.trim()}`);
    }
    const [small, large] = results;
    out(
      `ratio 100k / 10k: peak memory ${(large!.peak / small!.peak).toFixed(2)}x, rows per second ${(large!.rate / small!.rate).toFixed(2)}x`,
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
