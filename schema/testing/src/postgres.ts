import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server tests make their throwaway databases on (the machine's, by default). */
export const POSTGRES_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Whether PostgreSQL tests must run: `.ci/run` sets REQUIRE_POSTGRES=true once the server is up. */
export const POSTGRES_REQUIRED = process.env['REQUIRE_POSTGRES'] === 'true';

let reachable: boolean | undefined;

/**
 * Whether the test server answers, asked synchronously so that a test file can choose between
 * `describe` and `describe.skip` while Jest collects its tests (an asynchronous probe in
 * `beforeAll` comes too late: the tests would pass with no assertions instead of showing as
 * skipped). The probe is a child Node process with the `pg` client this package already uses,
 * so it needs no PostgreSQL client tools on the machine. Asked once per test file.
 */
export function postgresReachable(): boolean {
  if (reachable !== undefined) return reachable;
  const probe = `
    const pg = require(${JSON.stringify(require.resolve('pg'))});
    const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('SELECT 1')).then(
      () => client.end().then(() => process.exit(0)),
      () => process.exit(1),
    );`;
  const result = spawnSync(process.execPath, ['-e', probe, POSTGRES_ADMIN_URL], { timeout: 10_000, stdio: 'ignore' });
  reachable = result.status === 0;
  return reachable;
}

/**
 * `describe` when PostgreSQL tests can run, `describe.skip` when the server is not reachable
 * (so Jest reports them as skipped), and an error when REQUIRE_POSTGRES=true and it is not.
 */
export function describeOnPostgres(): jest.Describe {
  if (postgresReachable()) return describe;
  if (POSTGRES_REQUIRED) {
    throw new Error(`REQUIRE_POSTGRES=true but PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}`);
  }
  return describe.skip;
}

/** The databases the records tests run on: the embedded default and, where it answers, PostgreSQL. */
export const TEST_DATABASES = [
  { name: 'PGlite', kind: 'pglite' },
  { name: 'PostgreSQL', kind: 'postgres' },
] as const;
export type TestDatabaseKind = (typeof TEST_DATABASES)[number]['kind'];

/** `describe` for the embedded database, `describeOnPostgres()` for PostgreSQL. */
export const describeOn = (kind: TestDatabaseKind): jest.Describe =>
  kind === 'postgres' ? describeOnPostgres() : describe;

export interface ThrowawayDatabase {
  url: string;
  name: string;
  /** Drops the database, closing any connection left to it. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database `bicentennial_test_<random>` on the test server. */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `bicentennial_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
