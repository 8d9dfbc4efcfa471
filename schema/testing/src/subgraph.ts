import type { ApolloServer, BaseContext } from '@apollo/server';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Logger } from 'pino';
import { openDatabase, type Database, migrate, type PrismaLike } from '@bicentennial/subgraph-kit';
import { ALL_SCOPES, type Caller } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { countingAdapter, type StatementCounter } from './countingAdapter';
import { createThrowawayDatabase, type TestDatabaseKind } from './postgres';

/** The caller subgraph tests act as unless they say otherwise: U.S. agency staff holding every scope. */
export const TEST_CALLER: Caller = Object.freeze({
  subject: 'test-writer',
  agency: 'TEST',
  country: 'US',
  scopes: [...ALL_SCOPES],
});

/** A Mexican counterpart of `TEST_CALLER`, every scope too. */
export const TEST_CALLER_MX: Caller = Object.freeze({
  subject: 'test-writer-mx',
  agency: 'TESTMX',
  country: 'MX',
  scopes: [...ALL_SCOPES],
});

/** What a subgraph's server module exports (src/server.ts). */
export interface SubgraphModule<P extends PrismaLike, C extends BaseContext> {
  MIGRATIONS_DIR: string;
  createPrisma(adapter: SqlDriverAdapterFactory): P;
  createServer(logger: Logger): ApolloServer<C>;
  createContext(prisma: P, caller: Caller): C;
  seed(prisma: P, logger: Logger): Promise<void>;
}

export interface TestSubgraph<P extends PrismaLike> {
  prisma: P;
  database: Database;
  /** The throwaway PostgreSQL database's URL (`on: 'postgres'`), for a second, independent connection. */
  postgresUrl?: string;
  statements: StatementCounter;
  /**
   * Runs an operation in-process with a fresh context, as `as` (default `TEST_CALLER`, a U.S.
   * caller holding every scope); returns the single result's data and errors. The subgraph's
   * directive checks and releasability apply exactly as to a request from the gateway.
   */
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { as?: Caller },
  ): Promise<{
    data?: T | null;
    errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  }>;
  close(): Promise<void>;
}

/**
 * A subgraph in this process on an in-memory PGlite database, or (`on: 'postgres'`) on a
 * throwaway PostgreSQL database `bicentennial_test_<random>` made for it and dropped by `close()`
 * (see `describeOnPostgres` for skipping when the server is not there): migrations applied by the
 * same code as at start, seeded (unless `seed: false`), every SQL statement counted.
 */
export async function startTestSubgraph<P extends PrismaLike, C extends BaseContext>(
  module: SubgraphModule<P, C>,
  options: { seed?: boolean; database?: Database; on?: TestDatabaseKind; poolSize?: number } = {},
): Promise<TestSubgraph<P>> {
  const throwaway = !options.database && options.on === 'postgres' ? await createThrowawayDatabase() : undefined;
  let database: Database;
  try {
    database =
      options.database ??
      (throwaway
        ? await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: options.poolSize ?? 12 })
        : await openDatabase({ kind: 'pglite' }));
  } catch (error) {
    await throwaway?.drop();
    throw error;
  }
  const dropThrowaway = async () => {
    try {
      if (!options.database) await database.close();
    } finally {
      // Dropped even when closing failed: a throwaway database must not outlive its test file.
      await throwaway?.drop();
    }
  };
  try {
    return await serve(module, database, options.seed !== false, throwaway?.url, dropThrowaway);
  } catch (error) {
    await dropThrowaway().catch(() => undefined);
    throw error;
  }
}

async function serve<P extends PrismaLike, C extends BaseContext>(
  module: SubgraphModule<P, C>,
  database: Database,
  seed: boolean,
  postgresUrl: string | undefined,
  closeDatabase: () => Promise<void>,
): Promise<TestSubgraph<P>> {
  await migrate(database, module.MIGRATIONS_DIR, silentLogger);
  const { adapter, counter } = countingAdapter(database.adapter);
  const prisma = module.createPrisma(adapter);
  if (seed) await module.seed(prisma, silentLogger);
  const server = module.createServer(silentLogger);
  await server.start();
  counter.reset();
  return {
    prisma,
    database,
    ...(postgresUrl ? { postgresUrl } : {}),
    statements: counter,
    execute: async (query, variables, options) => {
      const response = await server.executeOperation(
        { query, ...(variables ? { variables } : {}) },
        { contextValue: module.createContext(prisma, options?.as ?? TEST_CALLER) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      return { data: data as never, ...(errors ? { errors } : {}) };
    },
    close: async () => {
      try {
        await server.stop();
        await prisma.$disconnect();
      } finally {
        await closeDatabase();
      }
    },
  };
}
