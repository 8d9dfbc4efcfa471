import pg from 'pg';

/** The PostgreSQL server the tests use for their throwaway databases (the machine's, by default). */
export const POSTGRES_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Whether the PostgreSQL leg must run: .ci/run sets REQUIRE_POSTGRES=true after making sure the server is up. */
export const POSTGRES_REQUIRED = process.env['REQUIRE_POSTGRES'] === 'true';

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Throwaway databases, one per name, on the test server; `drop()` removes them (and any
 * connection left to them).
 */
export async function createThrowawayDatabases(names: string[]): Promise<{
  urls: Map<string, string>;
  drop(): Promise<void>;
}> {
  const prefix = `bicentennial_test_${process.pid}_${Date.now().toString(36)}`;
  const databases = new Map(names.map((name) => [name, `${prefix}_${name.replace(/-/g, '_')}`]));
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    for (const database of databases.values()) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const urls = new Map(
    [...databases].map(([name, database]) => {
      const url = new URL(POSTGRES_ADMIN_URL);
      url.pathname = `/${database}`;
      return [name, url.toString()];
    }),
  );
  return {
    urls,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        for (const database of databases.values())
          await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
