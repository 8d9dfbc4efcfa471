import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { DatabaseInUseError, openDatabase, redactUrl } from '../db/database';
import { createThrowawayDatabase, describeOnPostgres } from '@bicentennial/testing';

describe('the embedded database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data in its folder across restarts', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    await first.withConnection((c) => c.exec("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here');"));
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    expect(await second.withConnection((c) => c.query('SELECT v FROM kept'))).toEqual([{ v: 'still here' }]);
    await second.close();
  });

  it('refuses a second opener of the same folder while the first has it', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    try {
      writeFileSync(join(dir, 'pglite.lock'), String(process.ppid));
      await expect(openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') })).rejects.toThrow(DatabaseInUseError);
      await expect(openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') })).rejects.toThrow(
        /is in use by process \d+/,
      );
    } finally {
      await first.close();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    writeFileSync(join(dir, 'pglite.lock'), '999999999');
    const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    await db.ping();
    await db.close();
  });
});

describe('redactUrl', () => {
  it('drops the password so the URL can be logged', () => {
    expect(redactUrl('postgresql://svc:s3cret@db.internal:5432/firearms')).toBe(
      'postgresql://svc@db.internal:5432/firearms',
    );
  });

  it('drops passwords given as parameters too', () => {
    expect(redactUrl('postgresql://svc@db.internal/firearms?password=s3cret&sslpassword=k3y&sslmode=require')).toBe(
      'postgresql://svc@db.internal/firearms?sslmode=require',
    );
  });
});

describeOnPostgres()('a PostgreSQL database', () => {
  it('logs a pooled connection the server closes, and goes on with another', async () => {
    const throwaway = await createThrowawayDatabase();
    const lines: { level: number; msg: string; code?: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as never) });
    const db = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 2, logger });
    try {
      const [backend] = await db.withConnection((c) => c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
      const admin = new pg.Client({ connectionString: throwaway.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
      await admin.end();
      for (let waited = 0; lines.length === 0 && waited < 5_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(lines).toEqual([
        expect.objectContaining({
          level: 40,
          code: '57P01',
          msg: 'PostgreSQL closed an idle pooled connection; the pool will open another',
        }),
      ]);
      await db.ping();
    } finally {
      await db.close();
      await throwaway.drop();
    }
  });
});
