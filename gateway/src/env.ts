import { join } from 'node:path';
import {
  booleanFlag,
  DEFAULT_DEV_KEYS_DIR,
  defaultProfile,
  DEVELOPMENT_ISSUER,
  EnvError,
  host,
  httpUrl,
  logLevel,
  metricsPortProblem,
  jwksFileRefusal,
  milliseconds,
  parseEnv,
  privateJwkFileRefusal,
  port,
  profileSetting,
  refuseInProduction,
  telemetrySettings,
  withoutEmpty,
  type ProductionRule,
  type Profile,
} from '@bicentennial/service';
import { SCHEMA_DIR, SUPERGRAPH_PATH } from '@bicentennial/schema';
import { z } from 'zod';

/** A limit on the shape of a query: a whole number from `min` to `max`, `fallback` when unset. */
const queryLimit = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** A count: a whole number from `min` to `max`, `fallback` when unset. */
const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** BODY_LIMIT in bytes, as Express reads it (`kb` is 1,024 bytes, `mb` 1,048,576). */
export function bodyLimitBytes(limit: string): number {
  const [, amount, unit] = /^(\d+)(b|kb|mb)$/i.exec(limit) ?? [];
  if (amount === undefined || unit === undefined)
    throw new EnvError(`BODY_LIMIT="${limit}": must be a size such as 512kb or 2mb`);
  return Number(amount) * { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
}

/** Where `npm run operations` writes the persisted operations: schema/persisted-operations.json, beside the supergraph. */
export const DEFAULT_PERSISTED_OPERATIONS_PATH = join(SCHEMA_DIR, 'persisted-operations.json');

/** `SUBGRAPH_URL_<NAME>` overrides a subgraph's routing URL; every other setting is in `gatewayEnvSchema`. */
export const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** The gateway's settings with their defaults and rules (README, Configuration). */
export const gatewayEnvSchema = z.object({
  /** Unset: production under NODE_ENV=production, development otherwise (`defaultProfile`). */
  PROFILE: profileSetting,
  PORT: port(4000),
  HOST: host,
  SUPERGRAPH_PATH: z.string().min(1).default(SUPERGRAPH_PATH),
  /**
   * The persisted operations (Apollo's persisted query manifest, `npm run operations`): beside the
   * supergraph in the schema package, as a release ships it. Read at start when SAFELIST=enforce.
   */
  PERSISTED_OPERATIONS_PATH: z.string().min(1).default(DEFAULT_PERSISTED_OPERATIONS_PATH),
  /**
   * `enforce`: on /graphql every operation must be a persisted one (by its id, or its exact text)
   * unless the caller has graph:analyze; others are refused before anything runs (safelist.ts).
   * `off`: any operation runs. Unset: `enforce` under the production profile, `off` in development.
   */
  SAFELIST: z.enum(['enforce', 'off'], { message: 'must be enforce or off' }).optional(),
  SUPERGRAPH_WATCH: booleanFlag(true),
  SUPERGRAPH_POLL_INTERVAL_MS: milliseconds(1000, 50, 60_000),
  SUBGRAPH_TIMEOUT_MS: milliseconds(10_000, 100, 300_000),
  /** Most attempts of one subgraph read (a `query` fetch), the first included; 1 never retries (README, Resilience). */
  SUBGRAPH_RETRY_ATTEMPTS: wholeNumber(3, 1, 10),
  /** Scale of the retries' exponential backoff: the first waits about this long, with jitter. */
  SUBGRAPH_RETRY_BACKOFF_MS: milliseconds(50, 1, 10_000),
  /** Retries per subgraph over a 10 s window, in percent of the requests sent to it. */
  SUBGRAPH_RETRY_BUDGET_PERCENT: wholeNumber(10, 0, 100),
  /** Retries per subgraph allowed in any 10 s window whatever the traffic. */
  SUBGRAPH_RETRY_BUDGET_MIN: wholeNumber(3, 0, 1_000),
  /** Longest one attempt waits (at most SUBGRAPH_TIMEOUT_MS, which bounds all attempts); unset: SUBGRAPH_TIMEOUT_MS. */
  SUBGRAPH_ATTEMPT_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(50, 'must be at least 50')
    .max(300_000, 'must be at most 300000')
    .optional(),
  /** Failures in a row (network error, timeout, HTTP 5xx) that open a subgraph's circuit. */
  SUBGRAPH_BREAKER_THRESHOLD: wholeNumber(5, 1, 1_000),
  /** How long an open circuit fails fast before one request probes the subgraph again. */
  SUBGRAPH_BREAKER_HALF_OPEN_AFTER_MS: milliseconds(5_000, 100, 600_000),
  STATUS_POLL_INTERVAL_MS: milliseconds(10_000, 100, 3_600_000),
  STATUS_PROBE_TIMEOUT_MS: milliseconds(2_000, 50, 60_000),
  /** Largest request body (`bodyLimitBytes`); a larger one is refused with 413 BODY_TOO_LARGE. */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 2mb')
    .default('1mb'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be a comma-separated list of http(s) origins' }))),
  /** Deepest field nesting of an operation (the Dashboard is 7). */
  QUERY_MAX_DEPTH: queryLimit(10, 2, 100),
  /**
   * Largest estimated cost (limits.ts: the schema's @cost and @listSize, Apollo Router's rules).
   * The Dashboard is estimated at 60,675: the default leaves it a margin of more than three.
   */
  QUERY_MAX_COST: queryLimit(200_000, 10, 100_000_000),
  /** Most aliases in an operation (e.g. one per state compared side by side). */
  QUERY_MAX_ALIASES: queryLimit(100, 0, 10_000),
  /**
   * Most introspection fields (`__schema`, `__type`) in an operation, a fragment counted at every
   * spread. Introspection is answered by the gateway and costs nothing in the estimate, but one
   * `__type` with its fields' types' fields is up to about 100 KB of answer (100 aliases of it were
   * 11 MB), and graphql-js's standard introspection query about 565 KB and 50 ms (40 aliases of it
   * ran a 256 MiB worker out of heap). An IDE sends one `__schema`.
   */
  QUERY_MAX_INTROSPECTION: queryLimit(2, 1, 1_000),
  /** Most directives in an operation. */
  QUERY_MAX_DIRECTIVES: queryLimit(50, 0, 10_000),
  /** Most lexical tokens in a document (checked while parsing, before anything else). */
  QUERY_MAX_TOKENS: queryLimit(5_000, 100, 1_000_000),
  /** Most operations in one batched HTTP request (a JSON array); a larger batch runs none of them. */
  QUERY_MAX_BATCH: queryLimit(10, 1, 1_000),
  /**
   * Most rows one CSV export (`POST /csv`, csv.ts) writes: more is refused before the first row
   * when the first page or the connection's totalCount shows it, and cut short otherwise.
   */
  CSV_MAX_ROWS: wholeNumber(1_000_000, 1, 100_000_000),
  SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
  LOG_LEVEL: logLevel,
  /** The issuer's public keys as a JWKS file; or AUTH_JWKS_URL. Unset in development: the generated keys. */
  AUTH_JWKS_PATH: z.string().min(1).optional(),
  /** The issuer's JWKS URL (fetched when a token names an unknown key, cached 10 minutes). */
  AUTH_JWKS_URL: httpUrl.optional(),
  /** The `iss` every caller token must carry. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** The `aud` every caller token must carry. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Seconds of clock skew tolerated on a token's exp / nbf. */
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** The private JWK the gateway signs internal tokens to the subgraphs with (EdDSA, with a kid). */
  INTERNAL_SIGNING_KEY_PATH: z.string().min(1).optional(),
  /** Lifetime of an internal token. */
  INTERNAL_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(600).default(60),
  /** Development only: where the generated key pairs live (`npm start`, `npm run token`). */
  DEV_KEYS_DIR: z.string().min(1).default(DEFAULT_DEV_KEYS_DIR),
  /** Requests per caller a full bucket holds (a burst). 0 turns rate limiting off. */
  RATE_LIMIT_CAPACITY: z.coerce.number().int().min(0).max(1_000_000).default(200),
  /** Requests per second a caller's bucket refills at (its sustained rate). */
  RATE_LIMIT_REFILL_PER_SECOND: z.coerce.number().min(0.01).max(1_000_000).default(50),
  /** Prefix of the rate-limit keys in Redis (one per deployment sharing a Redis). */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).max(100).default('bicentennial:ratelimit:'),
  /** Shares rate-limit buckets (and later caches) between gateway replicas; unset: in memory. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Gateway processes sharing the port (workers.ts); unset: one per core. 1 runs no primary. */
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * Each worker's V8 old-space limit in MiB (`--max-old-space-size`): V8 grows a heap towards its
   * limit (by default a share of the machine's memory) before collecting it, so without one an
   * idle-to-busy worker holds hundreds of MiB of garbage. Not applied with GATEWAY_WORKERS=1 (the
   * process's own flags are).
   */
  GATEWAY_WORKER_HEAP_MB: z.coerce.number().int().min(96).max(65_536).default(256),
  /**
   * Compress answers of 1 KiB and more (`compression`: brotli or gzip, as the client's
   * Accept-Encoding prefers): `on`, or `off` behind a proxy that compresses.
   */
  RESPONSE_COMPRESSION: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  /** Keep public answers (responseCache.ts): `on`, or `off` (versions and deduplication still apply). */
  RESPONSE_CACHE: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  /** Share the answer of an identical query in flight between callers who may share it. */
  RESPONSE_CACHE_DEDUPE: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  /** Most answers kept in memory per gateway process (without REDIS_URL). */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /** Most megabytes of answers kept in memory per gateway process (without REDIS_URL). */
  RESPONSE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(100_000).default(64),
  /** Prefix of the response cache's keys in Redis (one per deployment sharing a Redis). */
  RESPONSE_CACHE_KEY_PREFIX: z.string().min(1).max(100).default('bicentennial:response-cache:'),
  /** The audit subgraph's base URL (its /internal/audit-events); unset: its routing URL in the supergraph. */
  AUDIT_URL: httpUrl.optional(),
  /** Audit events per POST to the audit subgraph (1–1,000). */
  AUDIT_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  /** Longest an audit event waits in memory before its batch is sent. */
  AUDIT_FLUSH_INTERVAL_MS: milliseconds(200, 10, 600_000),
  /** Audit events kept in memory while the audit subgraph cannot take them; past this they are spooled to disk. */
  AUDIT_MAX_BUFFERED: z.coerce.number().int().min(1000).max(10_000_000).default(100_000),
  /** Where audit events that could not be delivered wait (JSON lines), re-sent at the next start. */
  AUDIT_SPOOL_DIR: z
    .string()
    .min(1)
    .default(join(__dirname, '..', '.data', 'audit-spool')),
  /** METRICS_PORT, METRICS_HOST, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME (README, Telemetry). */
  ...telemetrySettings,
});

export type GatewayEnv = Omit<z.infer<typeof gatewayEnvSchema>, 'PROFILE' | 'SAFELIST'> & {
  PROFILE: Profile;
  /** SAFELIST, its default applied: `enforce` under the production profile, `off` in development. */
  SAFELIST: 'enforce' | 'off';
  /** Routing URL overrides by subgraph name (`public-health`), from SUBGRAPH_URL_PUBLIC_HEALTH. */
  subgraphUrls: Map<string, string>;
};

/** An origin on this machine: a front end in development, never a production dashboard. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?\/?$/i;

/** What the production profile refuses in the gateway, in one place (README, Configuration). */
export const GATEWAY_PRODUCTION_RULES: readonly ProductionRule<GatewayEnv>[] = [
  {
    setting: 'AUTH_JWKS_PATH',
    refusal: (env) => {
      if (env.AUTH_JWKS_URL) return undefined;
      return jwksFileRefusal(env.AUTH_JWKS_PATH, "callers' tokens (or set AUTH_JWKS_URL)");
    },
  },
  {
    setting: 'AUTH_ISSUER',
    refusal: (env) =>
      !env.AUTH_ISSUER
        ? 'must be set: the issuer of callers’ tokens'
        : env.AUTH_ISSUER === DEVELOPMENT_ISSUER
          ? 'is the development issuer'
          : undefined,
  },
  {
    setting: 'AUTH_AUDIENCE',
    refusal: (env) => (env.AUTH_AUDIENCE ? undefined : 'must be set: the audience callers’ tokens are issued for'),
  },
  {
    setting: 'INTERNAL_SIGNING_KEY_PATH',
    refusal: (env) => privateJwkFileRefusal(env.INTERNAL_SIGNING_KEY_PATH, 'internal tokens to the subgraphs'),
  },
  {
    setting: 'CORS_ORIGINS',
    refusal: (env) => {
      const loopback = env.CORS_ORIGINS.filter((origin) => LOOPBACK_ORIGIN.test(origin));
      return loopback.length === 0
        ? undefined
        : `must not allow origins on this machine (${loopback.join(', ')}): those are development front ends`;
    },
  },
];

/**
 * The gateway's settings (see README, Configuration). `SUBGRAPH_URL_<NAME>` overrides the routing
 * URL the supergraph gives a subgraph (applied where each data source is built, `subgraphUrl` in
 * supergraph.ts); one naming no subgraph yet is logged and waits for a supergraph that has it.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const clean = withoutEmpty(env);
  const parsed = parseEnv(gatewayEnvSchema, clean);
  const subgraphUrls = new Map<string, string>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(clean)) {
    if (!key.startsWith(SUBGRAPH_URL_PREFIX) || value === undefined) continue;
    const result = httpUrl.safeParse(value);
    if (!result.success) problems.push(`  ${key}=${JSON.stringify(value)}: must be an http:// or https:// URL`);
    else subgraphUrls.set(key.slice(SUBGRAPH_URL_PREFIX.length), result.data);
  }
  if (problems.length > 0) throw new EnvError(`invalid environment:\n${problems.join('\n')}`);
  if (parsed.AUTH_JWKS_PATH && parsed.AUTH_JWKS_URL) {
    throw new EnvError('invalid environment:\n  AUTH_JWKS_PATH: set either AUTH_JWKS_PATH or AUTH_JWKS_URL, not both');
  }
  if (
    parsed.SUBGRAPH_ATTEMPT_TIMEOUT_MS !== undefined &&
    parsed.SUBGRAPH_ATTEMPT_TIMEOUT_MS > parsed.SUBGRAPH_TIMEOUT_MS
  ) {
    throw new EnvError(
      `invalid environment:\n  SUBGRAPH_ATTEMPT_TIMEOUT_MS=${JSON.stringify(String(parsed.SUBGRAPH_ATTEMPT_TIMEOUT_MS))}: must be at most SUBGRAPH_TIMEOUT_MS (${parsed.SUBGRAPH_TIMEOUT_MS}), which bounds every attempt of a fetch`,
    );
  }
  // The in-memory response cache lives in each worker's heap, beside everything else it holds.
  if (!parsed.REDIS_URL && parsed.RESPONSE_CACHE_MAX_MB > parsed.GATEWAY_WORKER_HEAP_MB / 2) {
    throw new EnvError(
      `invalid environment:\n  RESPONSE_CACHE_MAX_MB=${JSON.stringify(String(parsed.RESPONSE_CACHE_MAX_MB))}: must be at most half of GATEWAY_WORKER_HEAP_MB (${parsed.GATEWAY_WORKER_HEAP_MB}), the heap each worker keeps its cache in`,
    );
  }
  const metricsPort = metricsPortProblem(parsed);
  if (metricsPort) throw new EnvError(`invalid environment:\n${metricsPort}`);
  const profile = parsed.PROFILE ?? defaultProfile(clean);
  const safelist = parsed.SAFELIST ?? (profile === 'production' ? 'enforce' : 'off');
  return refuseInProduction(
    { ...parsed, PROFILE: profile, SAFELIST: safelist, subgraphUrls },
    GATEWAY_PRODUCTION_RULES,
  );
}
