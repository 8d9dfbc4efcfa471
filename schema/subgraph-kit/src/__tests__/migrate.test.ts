import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db/database';
import { migrate, MigrationError, readMigrations } from '../db/migrate';
import { silentLogger } from '@bicentennial/service';
import { createThrowawayDatabase, describeOnPostgres, type ThrowawayDatabase } from '@bicentennial/testing';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bicentennial-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

const tables = async (db: Database) =>
  (
    await db.withConnection((c) =>
      c.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      ),
    )
  ).map((r) => r.table_name);

describe('migrate', () => {
  let db: Database;
  const dirs: string[] = [];
  const dir = (files: Record<string, string>) => {
    const created = migrationsDir(files);
    dirs.push(created);
    return created;
  };

  beforeEach(async () => {
    db = await openDatabase({ kind: 'pglite' });
  });
  afterEach(async () => {
    await db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('applies pending migrations in order, once, recording each with its checksum as Prisma does', async () => {
    const files = {
      '20260101000000_first': 'CREATE TABLE "A" (id INT PRIMARY KEY);',
      '20260102000000_second': 'CREATE TABLE "B" (id INT PRIMARY KEY, a INT REFERENCES "A"(id));',
    };
    const path = dir(files);
    expect(await migrate(db, path, silentLogger)).toEqual({
      applied: ['20260101000000_first', '20260102000000_second'],
      alreadyApplied: 0,
    });
    expect(await migrate(db, path, silentLogger)).toEqual({ applied: [], alreadyApplied: 2 });
    expect(await tables(db)).toEqual(['A', 'B', '_prisma_migrations']);
    const recorded = await db.withConnection((c) =>
      c.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      ),
    );
    expect(recorded).toEqual(
      readMigrations(path).map((m) => ({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1 })),
    );
  });

  it('applies only the new migration when one is added', async () => {
    await migrate(db, dir({ '20260101000000_first': 'CREATE TABLE "A" (id INT);' }), silentLogger);
    const next = dir({
      '20260101000000_first': 'CREATE TABLE "A" (id INT);',
      '20260201000000_more': 'ALTER TABLE "A" ADD COLUMN note TEXT;',
    });
    expect(await migrate(db, next, silentLogger)).toEqual({ applied: ['20260201000000_more'], alreadyApplied: 1 });
  });

  it('rolls back a failing migration whole, names it, and keeps the ones before it', async () => {
    const path = dir({
      '20260101000000_first': 'CREATE TABLE "A" (id INT);',
      '20260102000000_broken': 'CREATE TABLE "B" (id INT); INSERT INTO "Nope" VALUES (1);',
    });
    await expect(migrate(db, path, silentLogger)).rejects.toThrow(
      /migration 20260102000000_broken failed and was rolled back/,
    );
    expect(await tables(db)).toEqual(['A', '_prisma_migrations']);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    await migrate(db, dir({ '20260101000000_first': 'CREATE TABLE "A" (id INT);' }), silentLogger);
    const edited = dir({ '20260101000000_first': 'CREATE TABLE "A" (id BIGINT);' });
    const run = migrate(db, edited, silentLogger);
    await expect(run).rejects.toThrow(MigrationError);
    await expect(migrate(db, edited, silentLogger)).rejects.toThrow(
      /20260101000000_first was changed after it was applied/,
    );
  });

  it('refuses to run when an applied migration is missing from the code', async () => {
    await migrate(db, dir({ '20260101000000_first': 'CREATE TABLE "A" (id INT);' }), silentLogger);
    await expect(migrate(db, dir({}), silentLogger)).rejects.toThrow(
      /20260101000000_first is applied to the database but missing/,
    );
  });
});

describe('migrate, then work under the same lock', () => {
  const files = { '20260101000000_first': 'CREATE TABLE "A" (id INT PRIMARY KEY);' };
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const path = () => {
    const created = migrationsDir(files);
    dirs.push(created);
    return created;
  };

  it('runs `underLock` after the migrations, on the same connection', async () => {
    const db = await openDatabase({ kind: 'pglite' });
    try {
      let rowsInA: number | undefined;
      await migrate(db, path(), silentLogger, async (connection) => {
        const [row] = await connection.query<{ n: number }>('SELECT count(*)::int AS n FROM "A"');
        rowsInA = row?.n;
      });
      expect(rowsInA).toBe(0);
    } finally {
      await db.close();
    }
  });

  describeOnPostgres()('on PostgreSQL', () => {
    let throwaway: ThrowawayDatabase;
    beforeAll(async () => {
      throwaway = await createThrowawayDatabase();
    });
    afterAll(() => throwaway?.drop());

    it('lets one instance at a time through, migrations and `underLock` together', async () => {
      const instances = await Promise.all(
        [1, 2].map(() => openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 1 })),
      );
      try {
        let inside = 0;
        let most = 0;
        const results = await Promise.all(
          instances.map((db) =>
            migrate(db, path(), silentLogger, async (connection) => {
              inside += 1;
              most = Math.max(most, inside);
              // Long enough for the other instance to have reached the lock if it were not held.
              await connection.query('SELECT pg_sleep(0.3)');
              await connection.query('INSERT INTO "A" (id) SELECT count(*) FROM "A"');
              inside -= 1;
            }),
          ),
        );
        expect(most).toBe(1);
        expect(results.map((r) => r.applied.length).sort()).toEqual([0, 1]);
        const rows = await instances[0]!.withConnection((c) =>
          c.query<{ id: number }>('SELECT id FROM "A" ORDER BY id'),
        );
        expect(rows).toEqual([{ id: 0 }, { id: 1 }]);
      } finally {
        await Promise.all(instances.map((db) => db.close()));
      }
    });
  });
});
