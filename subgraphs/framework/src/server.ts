import { join } from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { createSubgraphServer } from '@bicentennial/subgraph-kit';
import { subgraphTypeDefs } from '@bicentennial/schema';
import { type Logger } from '@bicentennial/service';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Context } from './context';
import { PrismaClient } from './generated/prisma/client';
import { resolvers } from './resolvers';

export const SUBGRAPH_NAME = 'framework';
export const SDL_PATH = join(__dirname, '..', 'src', 'schema.graphql');
export const MIGRATIONS_DIR = join(__dirname, '..', 'prisma', 'migrations');

export function createServer(logger: Logger): ApolloServer<Context> {
  return createSubgraphServer<Context>({ typeDefs: subgraphTypeDefs(SDL_PATH), resolvers, logger });
}

/** The one Prisma client of the process, over the database's driver adapter. */
export function createPrisma(adapter: SqlDriverAdapterFactory): PrismaClient {
  return new PrismaClient({ adapter });
}

export { createContext } from './context';
export { seed } from './seed';
