import { join } from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { subgraphTypeDefs } from '@bicentennial/schema';
import { type Logger } from '@bicentennial/service';
import { createSubgraphServer, type SubgraphEnv, type SubgraphProgram } from '@bicentennial/subgraph-kit';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Express } from 'express';
import { createContext, type Context } from './context';
import { PrismaClient } from './generated/prisma/client';
import { ingestVerifier, mountIngest } from './ingest';
import { resolvers } from './resolvers';
import { seed } from './seed';

export const SUBGRAPH_NAME = 'audit';
export const SDL_PATH = join(__dirname, '..', 'src', 'schema.graphql');
export const MIGRATIONS_DIR = join(__dirname, '..', 'prisma', 'migrations');

export function createServer(logger: Logger): ApolloServer<Context> {
  return createSubgraphServer<Context>({ typeDefs: subgraphTypeDefs(SDL_PATH), resolvers, logger });
}

/** The one Prisma client of the process, over the database's driver adapter. */
export function createPrisma(adapter: SqlDriverAdapterFactory): PrismaClient {
  return new PrismaClient({ adapter });
}

/**
 * The ingest endpoint (`POST /internal/audit-events`, src/ingest.ts) besides /graphql. Its
 * verifier is made here, at start: a GATEWAY_JWKS_PATH that cannot be read stops the start.
 */
export function routes(env: SubgraphEnv): (app: Express, prisma: PrismaClient, logger: Logger) => void {
  return (app, prisma, logger) => mountIngest(app, { prisma, logger, verifier: ingestVerifier(env) });
}

/** Everything the shared runtime needs to run the audit subgraph (`runSubgraph`, tests' `startSubgraph`). */
export function auditProgram(env: SubgraphEnv): SubgraphProgram<PrismaClient, Context> {
  return {
    name: SUBGRAPH_NAME,
    env,
    migrationsDir: MIGRATIONS_DIR,
    createPrisma,
    seed,
    createServer,
    createContext,
    routes: routes(env),
  };
}

export { createContext, seed };
export { AUDIT_INGEST_AUDIENCE, AUDIT_INGEST_PATH, FIELD_LIMITS, MAX_EVENTS_PER_CALL, storeEvents } from './ingest';
