import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createThrowawayDatabases, postgresReachable } from '../postgres';
import { rowsPerSecond, runScript } from './run';

/**
 * `npm run bench:synthetic [-- <rows>]`: how fast `npm run synthetic` loads border-trade's synthetic
 * drug seizures (default 200,000 rows and a tenth as many interdictions) into PostgreSQL, against the
 * embedded database as the baseline in the same run.
 */
async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 200_000);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const cli = 'subgraphs/border-trade/src/cli/synthetic.ts';
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-bench-'));
  try {
    const pglite = await runScript(cli, ['--scale', String(rows)], { PGLITE_DIR: join(scratch, 'pglite') });
    if (pglite.code !== 0) throw new Error(pglite.stderr);
    const embedded = rowsPerSecond(pglite.stdout);
    out(`embedded PGlite: ${pglite.stdout.trim()}`);
    if (!postgresReachable()) {
      out('PostgreSQL not reachable: no comparison');
      return;
    }
    const throwaway = await createThrowawayDatabases(['border-trade']);
    try {
      const pg = await runScript(cli, ['--scale', String(rows)], { DATABASE_URL: throwaway.urls.get('border-trade')! });
      if (pg.code !== 0) throw new Error(pg.stderr);
      out(`PostgreSQL:      ${pg.stdout.trim()}`);
      out(`ratio PostgreSQL / PGlite rows per second: ${(rowsPerSecond(pg.stdout) / embedded).toFixed(2)}x`);
    } finally {
      await throwaway.drop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
