import { join } from 'node:path';
import { z } from 'zod';
import { booleanFlag, host, logLevel, milliseconds, parseEnv, port, postgresUrl, withoutEmpty } from '../env';

export interface SubgraphEnvDefaults {
  port: number;
  /** Where the embedded database lives when DATABASE_URL is not set. */
  pgliteDir: string;
}

export function subgraphEnvSchema(defaults: SubgraphEnvDefaults) {
  return z.object({
    PORT: port(defaults.port),
    HOST: host,
    DATABASE_URL: postgresUrl,
    PGLITE_DIR: z.string().min(1).default(defaults.pgliteDir),
    DB_POOL_SIZE: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(10),
    /** Each write transaction's limits (records/transactions.ts): past one, the write answers TRY_AGAIN. */
    DB_STATEMENT_TIMEOUT_MS: milliseconds(30_000, 100),
    DB_LOCK_TIMEOUT_MS: milliseconds(5_000, 10),
    DB_TRANSACTION_TIMEOUT_MS: milliseconds(60_000, 1_000),
    /** How long an idempotency key replays its first result (the Submission table is pruned after). */
    SUBMISSION_RETENTION_HOURS: z.coerce
      .number({ message: 'must be a number of hours' })
      .int('must be a whole number of hours')
      .min(1, 'must be at least 1')
      .max(87_600, 'must be at most 87600 (ten years)')
      .default(168),
    SEED: booleanFlag(true),
    LOG_LEVEL: logLevel,
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 2mb')
      .default('2mb'),
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
  });
}

export type SubgraphEnv = z.infer<ReturnType<typeof subgraphEnvSchema>>;

/** A subgraph's settings from the environment, validated (see README, Configuration). */
export function readSubgraphEnv(defaults: SubgraphEnvDefaults, env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return parseEnv(subgraphEnvSchema(defaults), withoutEmpty(env));
}

/** The git-ignored folder a subgraph keeps its embedded database in. */
export function defaultPgliteDir(subgraphRoot: string): string {
  return join(subgraphRoot, '.data', 'pglite');
}
