import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SubgraphConfig } from '@bicentennial/schema';
import { openDatabase, migrate } from '@bicentennial/subgraph-kit';
import { silentLogger } from '@bicentennial/service';

const run = promisify(execFile);

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs Prisma's CLI for a subgraph, offline: the subgraph's prisma.config.ts selects the WASM
 * schema engine over PGlite (in memory, or the data directory in PGLITE_DIR), and a placeholder
 * DATABASE_URL keeps the CLI from looking for a native engine. Nothing connects to that URL.
 */
export async function prismaCli(
  subgraph: SubgraphConfig,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [require.resolve('prisma/build/index.js'), ...args], {
      cwd: subgraph.packageDir,
      env: {
        ...process.env,
        DATABASE_URL: 'postgresql://offline@localhost/offline',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        ...env,
      },
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof failed.code !== 'number') throw error;
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', exitCode: failed.code };
  }
}

/**
 * The Prisma datamodel the committed migrations produce: they are applied (by the same code
 * as at start) to a scratch PGlite database, which Prisma then introspects.
 */
export async function migratedDatamodel(subgraph: SubgraphConfig): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `bicentennial-${subgraph.name}-`));
  try {
    const dataDir = join(dir, 'pglite');
    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await migrate(db, join(subgraph.packageDir, 'prisma', 'migrations'), silentLogger);
    } finally {
      await db.close();
    }
    const pulled = await prismaCli(subgraph, ['db', 'pull', '--print'], { PGLITE_DIR: dataDir });
    if (pulled.exitCode !== 0) throw new Error(`prisma db pull failed:\n${pulled.stderr}`);
    // The CLI prints warnings (about the datasource url) on stdout before the schema.
    const start = pulled.stdout.search(/^(generator|datasource) /m);
    if (start < 0) throw new Error(`prisma db pull printed no schema:\n${pulled.stdout}`);
    return pulled.stdout.slice(start);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SQL that takes a database from what the committed migrations produce to what schema.prisma
 * describes; empty when the two agree.
 */
export async function pendingMigrationSql(subgraph: SubgraphConfig): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `bicentennial-${subgraph.name}-`));
  try {
    const from = join(dir, 'migrated.prisma');
    writeFileSync(from, await migratedDatamodel(subgraph));
    const diff = await prismaCli(subgraph, [
      'migrate',
      'diff',
      '--from-schema-datamodel',
      from,
      '--to-schema-datamodel',
      join('prisma', 'schema.prisma'),
      '--script',
    ]);
    if (diff.exitCode !== 0) throw new Error(`prisma migrate diff failed:\n${diff.stderr}`);
    return diff.stdout.includes('-- This is an empty migration.') ? '' : diff.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
