import { createThrowawayDatabase } from '@bicentennial/testing';

// One probe and one server setting for every PostgreSQL test (TEST_POSTGRES_URL, REQUIRE_POSTGRES).
export { describeOn, POSTGRES_ADMIN_URL, POSTGRES_REQUIRED, postgresReachable } from '@bicentennial/testing';

/**
 * Throwaway databases, one per name, on the test server; `drop()` removes them (and any
 * connection left to them).
 */
export async function createThrowawayDatabases(names: string[]): Promise<{
  urls: Map<string, string>;
  drop(): Promise<void>;
}> {
  const databases = await Promise.all(names.map(async (name) => [name, await createThrowawayDatabase()] as const));
  return {
    urls: new Map(databases.map(([name, database]) => [name, database.url])),
    drop: async () => {
      await Promise.all(databases.map(([, database]) => database.drop()));
    },
  };
}
