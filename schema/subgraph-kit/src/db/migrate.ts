import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database, SqlConnection } from './database';

/** The same table Prisma keeps, so native `prisma migrate status` agrees where it can run. */
const MIGRATIONS_TABLE_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Arbitrary but fixed: every instance of a subgraph migrating one PostgreSQL database takes the
 * same lock, and holds it through its seed (`migrate`'s `underLock`).
 */
export const MIGRATION_LOCK_KEY = 72707369;

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** The committed migrations of a subgraph, in order (folder names start with a timestamp). */
export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`no migrations folder at ${migrationsDir}`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the committed migrations that are not applied yet, in order, each in its own
 * transaction, recording each with its checksum. Refuses to run when an applied migration was
 * edited or deleted afterwards, or when an earlier run left one half-applied: the database and
 * the code would no longer agree, and only a person can decide what is right.
 *
 * On PostgreSQL all of it runs under a session advisory lock, and so does `underLock` (the
 * seed), after the migrations: replicas starting together take turns, and the second finds the
 * first one's schema and seed in place. `underLock` gets the lock's connection; work it does
 * through another pool must not wait for a connection of `db`'s (the runtime passes a database
 * of its own for the lock, so a pool of one cannot deadlock). PGlite needs no lock: one process
 * owns its data directory.
 */
export async function migrate(
  db: Database,
  migrationsDir: string,
  logger: Logger,
  underLock?: (connection: SqlConnection) => Promise<void>,
): Promise<MigrationResult> {
  const migrations = readMigrations(migrationsDir);
  return db.withConnection(async (connection) => {
    const locked = db.kind === 'postgres';
    if (locked) await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const result = await applyPending(connection, migrations, logger);
      if (underLock) await underLock(connection);
      return result;
    } finally {
      // A failed unlock must not hide why migrating failed; the lock is the session's, freed with it.
      if (locked) {
        await connection
          .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
          .catch((error: unknown) => logger.warn({ err: error }, 'could not release the migration lock'));
      }
    }
  });
}

async function applyPending(connection: SqlConnection, migrations: MigrationFile[], logger: Logger) {
  await connection.exec(MIGRATIONS_TABLE_DDL);
  const rows = await connection.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
  }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at');
  const live = rows.filter((row) => row.rolled_back_at === null);
  const unfinished = live.find((row) => row.finished_at === null);
  if (unfinished) {
    throw new MigrationError(
      `migration ${unfinished.migration_name} was started and never finished; inspect the database, ` +
        'then mark it rolled back (rolled_back_at) before starting again',
    );
  }
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of live) {
    const local = byName.get(row.migration_name);
    if (!local) {
      throw new MigrationError(
        `migration ${row.migration_name} is applied to the database but missing from the code; ` +
          'is this an older version of the subgraph?',
      );
    }
    if (local.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was changed after it was applied (checksum differs); ` +
          'never edit an applied migration: add a new one',
      );
    }
  }
  const done = new Set(live.map((row) => row.migration_name));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    const started = Date.now();
    await connection.exec('BEGIN');
    try {
      await connection.exec(migration.sql);
      await connection.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name, new Date(started)],
      );
      await connection.exec('COMMIT');
    } catch (error) {
      await connection.exec('ROLLBACK');
      throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
    }
    applied.push(migration.name);
    logger.info({ migration: migration.name, ms: Date.now() - started }, 'applied migration');
  }
  return { applied, alreadyApplied: done.size };
}
