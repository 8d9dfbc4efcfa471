import type { ApolloServer, BaseContext } from '@apollo/server';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Logger } from 'pino';
import { openDatabase, type Database } from '../db/database';
import { migrate } from '../db/migrate';
import { silentLogger } from '../logger';
import type { PrismaLike } from '../subgraph/runtime';
import { countingAdapter, type StatementCounter } from './countingAdapter';

/** What a subgraph's server module exports (src/server.ts). */
export interface SubgraphModule<P extends PrismaLike, C extends BaseContext> {
  MIGRATIONS_DIR: string;
  createPrisma(adapter: SqlDriverAdapterFactory): P;
  createServer(logger: Logger): ApolloServer<C>;
  createContext(prisma: P): C;
  seed(prisma: P, logger: Logger): Promise<void>;
}

export interface TestSubgraph<P extends PrismaLike> {
  prisma: P;
  database: Database;
  statements: StatementCounter;
  /** Runs an operation in-process with a fresh context; returns the single result's data and errors. */
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{
    data?: T | null;
    errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  }>;
  close(): Promise<void>;
}

/**
 * A subgraph in this process on an in-memory PGlite database: migrations applied by the same code
 * as at start, seeded (unless `seed: false`), every SQL statement counted.
 */
export async function startTestSubgraph<P extends PrismaLike, C extends BaseContext>(
  module: SubgraphModule<P, C>,
  options: { seed?: boolean; database?: Database } = {},
): Promise<TestSubgraph<P>> {
  const database = options.database ?? (await openDatabase({ kind: 'pglite' }));
  await migrate(database, module.MIGRATIONS_DIR, silentLogger);
  const { adapter, counter } = countingAdapter(database.adapter);
  const prisma = module.createPrisma(adapter);
  if (options.seed !== false) await module.seed(prisma, silentLogger);
  const server = module.createServer(silentLogger);
  await server.start();
  counter.reset();
  return {
    prisma,
    database,
    statements: counter,
    execute: async (query, variables) => {
      const response = await server.executeOperation(
        { query, ...(variables ? { variables } : {}) },
        { contextValue: module.createContext(prisma) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      return { data: data as never, ...(errors ? { errors } : {}) };
    },
    close: async () => {
      await server.stop();
      await prisma.$disconnect();
      if (!options.database) await database.close();
    },
  };
}
