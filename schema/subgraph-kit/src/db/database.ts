import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import type { Logger } from 'pino';
import { silentLogger } from '@bicentennial/service';
import { observedAdapter, observeStatement, watchPool, type SqlTelemetry } from './telemetry';

/** Runs SQL on one connection (or the one embedded database). */
export interface SqlConnection {
  /** Runs a script of one or more statements, without parameters. */
  exec(sql: string): Promise<void>;
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/**
 * A subgraph's own database: the embedded PGlite (default) or PostgreSQL (`DATABASE_URL`).
 * Prisma reaches it through `adapter`; migrations and health checks through `withConnection`.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  readonly adapter: SqlDriverAdapterFactory;
  withConnection<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T>;
  /** A cheap round trip, for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `service` names the subgraph whose database this is: the `service` label of its statement and
 * pool metrics (README, Telemetry); unset, `database`.
 */
export type DatabaseConfig =
  /** `logger` hears about connections the pool loses (a server restart, a terminated backend). */
  | { kind: 'postgres'; url: string; poolSize?: number; logger?: Logger; service?: string }
  /** `dataDir` undefined keeps the database in memory (tests). */
  | { kind: 'pglite'; dataDir?: string; service?: string };

export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const service = config.service ?? 'database';
  if (config.kind === 'postgres')
    return openPostgres(config.url, config.poolSize ?? 10, config.logger ?? silentLogger, service);
  return openPGlite(config.dataDir, { service });
}

/** The database name of a connection string (`db.namespace` of its spans). */
function databaseName(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A connection whose statements are counted, timed and traced (`observeStatement`): the raw SQL
 * path (migrations, seeding, the kit's raw pages and counts), as `observedAdapter` is Prisma's.
 */
function observedConnection(connection: SqlConnection, telemetry: SqlTelemetry): SqlConnection {
  return {
    exec: (sql) => observeStatement(telemetry, sql, () => connection.exec(sql)),
    query: <Row extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      observeStatement(telemetry, sql, () => connection.query<Row>(sql, params)),
  };
}

/** `postgresql://user:secret@host/db` → `postgresql://user@host/db`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    // libpq also takes secrets as parameters (?password=…, ?sslpassword=…).
    for (const secret of ['password', 'sslpassword']) parsed.searchParams.delete(secret);
    return parsed.toString();
  } catch {
    return 'postgresql://(unparseable url)';
  }
}

function openPostgres(url: string, poolSize: number, logger: Logger, service: string): Database {
  // A full pool or a server that stops answering fails a request after 10 s instead of holding it.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  const location = redactUrl(url);
  const database = databaseName(url);
  const telemetry: SqlTelemetry = { service, ...(database ? { database } : {}) };
  const unwatch = watchPool(pool, service, poolSize);
  // An idle client's error (server restart, terminated backend) must not crash the process: the
  // pool drops that client and opens another when one is needed. Logged, since many of them
  // mean the database is going away.
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn(
      { err: error, code: error.code, database: location },
      'PostgreSQL closed an idle pooled connection; the pool will open another',
    );
  });
  const connection = (client: pg.PoolClient | pg.Pool): SqlConnection =>
    observedConnection(
      {
        exec: async (sql) => {
          await client.query(sql);
        },
        query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
          (await client.query<Row>(sql, params)).rows,
      },
      telemetry,
    );
  return {
    kind: 'postgres',
    location,
    adapter: observedAdapter(
      new PrismaPg(pool, {
        disposeExternalPool: false,
        // A connection lost in the middle of a transaction: the transaction fails (and says so to
        // its caller); this says why in the log.
        onConnectionError: (error: Error) => {
          logger.warn({ err: error, database: location }, 'PostgreSQL connection lost during a transaction');
        },
      }),
      telemetry,
    ),
    withConnection: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn(connection(client));
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      unwatch();
      await pool.end();
    },
  };
}

/**
 * PGlite is one connection in this process, with no pool: it has no connection metrics; its
 * statements are observed as PostgreSQL's are.
 */
async function openPGlite(dataDir: string | undefined, telemetry: SqlTelemetry): Promise<Database> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let db: PGlite;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    db = new PGlite(dataDir ? resolve(dataDir) : undefined);
    await db.waitReady;
  } catch (error) {
    releaseLock();
    throw error;
  }
  const connection = observedConnection(
    {
      exec: async (sql) => {
        await db.exec(sql);
        // PGlite serializes a parameter by its type's OID, and knows the array types of the types
        // that existed when it opened: an array of an enum a migration creates (`"Charge"[]`) would
        // be sent as `a,b`, a malformed array literal. Refreshed after every new type.
        if (/\bCREATE\s+TYPE\b/i.test(sql)) await db.refreshArrayTypes();
      },
      query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
        (await db.query<Row>(sql, params)).rows,
    },
    telemetry,
  );
  return {
    kind: 'pglite',
    location: dataDir ? resolve(dataDir) : 'memory',
    adapter: observedAdapter(new PrismaPGlite(db), telemetry),
    withConnection: (fn) => fn(connection),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: async () => {
      try {
        if (!db.closed) await db.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * PGlite is PostgreSQL in this process: a second process opening the same data directory would
 * corrupt it. A pid file beside the directory refuses a second opener while the first is alive,
 * and is taken over when its process is gone (a crash leaves it behind).
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseInUseError(
          `the embedded database ${resolve(dataDir)} is in use by process ${holder}; ` +
            'stop that process or set a different data directory',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not lock the embedded database ${resolve(dataDir)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
