import {
  booleanFlag,
  defaultProfile,
  EnvError,
  host,
  httpUrl,
  logLevel,
  milliseconds,
  parseEnv,
  port,
  profileSetting,
  refuseInProduction,
  withoutEmpty,
  type ProductionRule,
  type Profile,
} from '@bicentennial/service';
import { SUPERGRAPH_PATH } from '@bicentennial/schema';
import { z } from 'zod';

/** A limit on the shape of a query: a whole number from `min` to `max`, `fallback` when unset. */
const queryLimit = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** `SUBGRAPH_URL_<NAME>` overrides a subgraph's routing URL; every other setting is in `gatewayEnvSchema`. */
export const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** The gateway's settings with their defaults and rules (README, Configuration). */
export const gatewayEnvSchema = z.object({
  /** Unset: production under NODE_ENV=production, development otherwise (`defaultProfile`). */
  PROFILE: profileSetting,
  PORT: port(4000),
  HOST: host,
  SUPERGRAPH_PATH: z.string().min(1).default(SUPERGRAPH_PATH),
  SUPERGRAPH_WATCH: booleanFlag(true),
  SUPERGRAPH_POLL_INTERVAL_MS: milliseconds(1000, 50, 60_000),
  SUBGRAPH_TIMEOUT_MS: milliseconds(10_000, 100, 300_000),
  STATUS_POLL_INTERVAL_MS: milliseconds(10_000, 100, 3_600_000),
  STATUS_PROBE_TIMEOUT_MS: milliseconds(2_000, 50, 60_000),
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
  /** Largest cost (`pageCost` in limits.ts: a page multiplies what it selects by its `first`). */
  QUERY_MAX_COST: queryLimit(10_000, 10, 10_000_000),
  /** Most aliases in an operation (e.g. one per state compared side by side). */
  QUERY_MAX_ALIASES: queryLimit(100, 0, 10_000),
  /** Most directives in an operation. */
  QUERY_MAX_DIRECTIVES: queryLimit(50, 0, 10_000),
  /** Most lexical tokens in a document (checked while parsing, before anything else). */
  QUERY_MAX_TOKENS: queryLimit(5_000, 100, 1_000_000),
  SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
  LOG_LEVEL: logLevel,
});

export type GatewayEnv = Omit<z.infer<typeof gatewayEnvSchema>, 'PROFILE'> & {
  PROFILE: Profile;
  /** Routing URL overrides by subgraph name (`public-health`), from SUBGRAPH_URL_PUBLIC_HEALTH. */
  subgraphUrls: Map<string, string>;
};

/** An origin on this machine: a front end in development, never a production dashboard. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?\/?$/i;

/** What the production profile refuses in the gateway, in one place (README, Configuration). */
export const GATEWAY_PRODUCTION_RULES: readonly ProductionRule<GatewayEnv>[] = [
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
  const profile = parsed.PROFILE ?? defaultProfile(clean);
  return refuseInProduction({ ...parsed, PROFILE: profile, subgraphUrls }, GATEWAY_PRODUCTION_RULES);
}
