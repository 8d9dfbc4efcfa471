import type { ApolloServer, BaseContext } from '@apollo/server';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { openDatabase, type Database, type SqlConnection } from '../db/database';
import { migrate } from '../db/migrate';
import type { Caller } from '@bicentennial/schema';
import {
  announceReady,
  createInternalVerifier,
  createLogger,
  ensureDevelopmentKeys,
  EnvError,
  readJwksFile,
  exitWhenParentGoesWhileStarting,
  stopOnSignals,
  type InternalVerifier,
} from '@bicentennial/service';
import { followOtherWriters, type SnapshotFollower } from '../records/snapshotFollower';
import { configureWrites } from '../records/transactions';
import type { SubgraphEnv } from './env';
import { serveSubgraph, type ServingSubgraph } from './http';
import { seedDatabase, type SeedOptions } from './seeding';

/** What the runtime needs of a generated Prisma client. */
export interface PrismaLike {
  $disconnect(): Promise<void>;
}

export interface SubgraphProgram<P extends PrismaLike, C extends BaseContext> {
  name: string;
  env: SubgraphEnv;
  migrationsDir: string;
  createPrisma(adapter: SqlDriverAdapterFactory): P;
  /**
   * Loads each part of the published reference data whose tables are empty, and the synthetic
   * sample when `options` asks (the runtime decides: `seedDatabase`).
   */
  seed(prisma: P, logger: Logger, options: SeedOptions): Promise<void>;
  createServer(logger: Logger): ApolloServer<C>;
  /** A request's context, for the verified caller the gateway's internal token names. */
  createContext(prisma: P, caller: Caller): C;
  /** Routes besides /graphql, given the process's Prisma client and logger (`ServeOptions.routes`). */
  routes?(app: Express, prisma: P, logger: Logger): void;
}

export interface RunningSubgraph<P> {
  url: string;
  prisma: P;
  database: Database;
  serving: ServingSubgraph;
  stop(): Promise<void>;
}

/**
 * The verifier of the gateway's internal tokens for this subgraph: with GATEWAY_JWKS_PATH, or in
 * development with the generated development keys (production refuses to start without the
 * setting: SUBGRAPH_PRODUCTION_RULES).
 */
async function internalVerifier(name: string, env: SubgraphEnv, logger: Logger): Promise<InternalVerifier> {
  if (env.GATEWAY_JWKS_PATH)
    return createInternalVerifier({ jwks: readJwksFile(env.GATEWAY_JWKS_PATH), audience: name });
  const keys = await ensureDevelopmentKeys(env.DEV_KEYS_DIR);
  logger.info({ dir: keys.dir }, 'verifying internal tokens with the development keys');
  return createInternalVerifier({ jwks: keys.internal.jwks, audience: name });
}

/**
 * Opens the subgraph's database, applies pending migrations, seeds it by its profile (both under
 * the migration lock), and serves: the same steps under `npm start`, in Docker and in end-to-end
 * tests.
 */
export async function startSubgraph<P extends PrismaLike, C extends BaseContext>(
  program: SubgraphProgram<P, C>,
  logger: Logger,
): Promise<RunningSubgraph<P>> {
  const { env } = program;
  configureWrites({
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: env.DB_LOCK_TIMEOUT_MS,
    transactionTimeoutMs: env.DB_TRANSACTION_TIMEOUT_MS,
    submissionRetentionHours: env.SUBMISSION_RETENTION_HOURS,
    logger,
  });
  const database = await openDatabase(
    env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DB_POOL_SIZE, logger, service: program.name }
      : { kind: 'pglite', dataDir: env.PGLITE_DIR, service: program.name },
  );
  let prisma: P | undefined;
  let follower: SnapshotFollower | undefined;
  try {
    logger.info({ database: database.kind, location: database.location, profile: env.PROFILE }, 'database opened');
    const client = program.createPrisma(database.adapter);
    prisma = client;
    const seed = async (connection: SqlConnection) => {
      const plan = { profile: env.PROFILE, syntheticSample: env.SYNTHETIC_SAMPLE };
      const outcome = await seedDatabase(connection, plan, (options) => program.seed(client, logger, options), logger);
      logger.info({ ...outcome, profile: env.PROFILE }, 'seed up to date');
    };
    // The lock gets a connection of its own: the seed writes through Prisma's pool, which may
    // have a single connection (DB_POOL_SIZE=1) and must not wait for the one holding the lock.
    const lockHolder = env.DATABASE_URL
      ? await openDatabase({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 1, service: program.name })
      : database;
    let migrations;
    try {
      migrations = await migrate(lockHolder, program.migrationsDir, logger, env.SEED ? seed : undefined);
    } finally {
      if (lockHolder !== database) await lockHolder.close();
    }
    logger.info(
      { applied: migrations.applied.length, alreadyApplied: migrations.alreadyApplied },
      'migrations up to date',
    );
    // Replicas of this subgraph on the same PostgreSQL database: each one's commits drop the
    // others' reference data snapshots (records/snapshotFollower.ts).
    follower = env.DATABASE_URL
      ? followOtherWriters({ client, url: env.DATABASE_URL, logger, service: program.name })
      : undefined;
    const serving = await serveSubgraph({
      name: program.name,
      server: program.createServer(logger),
      context: (caller) => Promise.resolve(program.createContext(client, caller)),
      verifier: await internalVerifier(program.name, env, logger),
      ready: () => database.ping(),
      port: env.PORT,
      host: env.HOST,
      bodyLimit: env.BODY_LIMIT,
      logger,
      telemetry: env,
      routes: (app) => program.routes?.(app, client, logger),
    });
    const stop = async () => {
      await serving.stop();
      await follower?.close();
      await client.$disconnect();
      await database.close();
    };
    return { url: serving.url, prisma: client, database, serving, stop };
  } catch (error) {
    await follower?.close().catch(() => undefined);
    await prisma?.$disconnect().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The whole life of a subgraph process: start, announce readiness to a parent stack runner,
 * drain and close on SIGTERM/SIGINT. On a start-up failure it prints why and exits 1.
 */
export async function runSubgraph<P extends PrismaLike, C extends BaseContext>(
  define: () => SubgraphProgram<P, C>,
): Promise<void> {
  // Migrating and seeding can take a while: a runner gone meanwhile ends this process too.
  exitWhenParentGoesWhileStarting();
  let program: SubgraphProgram<P, C>;
  try {
    program = define();
  } catch (error) {
    process.stderr.write(`${error instanceof EnvError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(program.name, program.env.LOG_LEVEL);
  let running: RunningSubgraph<P>;
  try {
    running = await startSubgraph(program, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  logger.info({ url: running.url }, 'serving');
  announceReady(program.name, running.url);

  stopOnSignals(() => running.stop(), logger, program.env.SHUTDOWN_TIMEOUT_MS);
}
