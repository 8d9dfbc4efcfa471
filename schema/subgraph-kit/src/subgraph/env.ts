import { join } from 'node:path';
import { z } from 'zod';
import {
  booleanFlag,
  DEFAULT_DEV_KEYS_DIR,
  defaultProfile,
  jwksFileRefusal,
  EnvError,
  host,
  logLevel,
  metricsPortProblem,
  milliseconds,
  optionalFlag,
  parseEnv,
  port,
  postgresUrl,
  profileSetting,
  refuseInProduction,
  telemetrySettings,
  withoutEmpty,
  type Profile,
  type ProductionRule,
} from '@bicentennial/service';

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
    /** Unset: see `readSubgraphEnv` (NODE_ENV, and never guessed for a PostgreSQL server). */
    PROFILE: profileSetting,
    SEED: booleanFlag(true),
    /** Unset: true in development, false in production (which refuses true). */
    SYNTHETIC_SAMPLE: optionalFlag,
    LOG_LEVEL: logLevel,
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 2mb')
      .default('2mb'),
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
    /**
     * The gateway's public JWKS: every request must carry an internal token it signed for this
     * subgraph. Unset in development: the generated development keys (DEV_KEYS_DIR).
     */
    GATEWAY_JWKS_PATH: z.string().min(1).optional(),
    /** Development only: where `npm start` keeps its generated key pairs. */
    DEV_KEYS_DIR: z.string().min(1).default(DEFAULT_DEV_KEYS_DIR),
    /** METRICS_PORT, METRICS_HOST, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME (README, Telemetry). */
    ...telemetrySettings,
  });
}

export type SubgraphEnv = Omit<z.infer<ReturnType<typeof subgraphEnvSchema>>, 'PROFILE' | 'SYNTHETIC_SAMPLE'> & {
  PROFILE: Profile;
  /** Whether the first seed of an empty database adds the synthetic sample (development only). */
  SYNTHETIC_SAMPLE: boolean;
};

/** What the production profile refuses in a subgraph, in one place (README, Configuration). */
export const SUBGRAPH_PRODUCTION_RULES: readonly ProductionRule<SubgraphEnv>[] = [
  {
    setting: 'DATABASE_URL',
    refusal: (env) =>
      env.DATABASE_URL ? undefined : 'must be set: the embedded database (PGlite) is for development only',
  },
  {
    setting: 'GATEWAY_JWKS_PATH',
    refusal: (env) => jwksFileRefusal(env.GATEWAY_JWKS_PATH, "the gateway's internal tokens"),
  },
  {
    setting: 'SYNTHETIC_SAMPLE',
    refusal: (env) => (env.SYNTHETIC_SAMPLE ? 'must not be true: production never loads synthetic records' : undefined),
  },
];

/**
 * A subgraph's settings from the environment, validated (see README, Configuration). PROFILE
 * unset is production under NODE_ENV=production and development otherwise, except next to a
 * DATABASE_URL: a PostgreSQL server may be a production one, and guessing development there
 * would load a synthetic sample into it, so the profile must then be said.
 */
export function readSubgraphEnv(defaults: SubgraphEnvDefaults, env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  const clean = withoutEmpty(env);
  const parsed = parseEnv(subgraphEnvSchema(defaults), clean);
  if (parsed.PROFILE === undefined && parsed.DATABASE_URL !== undefined && defaultProfile(clean) !== 'production') {
    throw new EnvError(
      'invalid environment:\n  PROFILE: must be set (development or production) when DATABASE_URL is: ' +
        'development would load a synthetic sample into that database',
    );
  }
  const metricsPort = metricsPortProblem(parsed);
  if (metricsPort) throw new EnvError(`invalid environment:\n${metricsPort}`);
  const profile = parsed.PROFILE ?? defaultProfile(clean);
  return refuseInProduction(
    { ...parsed, PROFILE: profile, SYNTHETIC_SAMPLE: parsed.SYNTHETIC_SAMPLE ?? profile === 'development' },
    SUBGRAPH_PRODUCTION_RULES,
  );
}

/** The git-ignored folder a subgraph keeps its embedded database in. */
export function defaultPgliteDir(subgraphRoot: string): string {
  return join(subgraphRoot, '.data', 'pglite');
}
