import { z } from 'zod';
import { LOG_LEVELS } from './logger';

/** A setting from the environment was missing or invalid; the message names every bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Variables whose values may hold credentials: named in errors, never echoed. */
const SECRET = /(DATABASE_URL|PASSWORD|SECRET|TOKEN|KEY)$/;

/**
 * Reads and validates settings once, at start. Every bad variable is named with the reason,
 * so a misconfigured deployment fails fast instead of running with a default it did not mean.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length > 0 ? env[String(issue.path[0])] : undefined;
    const shown = value === undefined ? '' : SECRET.test(name) ? ' (value not shown)' : `=${JSON.stringify(value)}`;
    return `  ${name}${shown}: ${issue.message}`;
  });
  throw new EnvError(`invalid environment:\n${problems.join('\n')}`);
}

/** A TCP port; 0 asks the operating system for a free one (tests use it). */
export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(fallback);

export const logLevel = z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info');

export const host = z.string().min(1, 'must not be empty').default('127.0.0.1');

/** A whole number of milliseconds within bounds. */
export const milliseconds = (fallback: number, min = 1, max = 3_600_000) =>
  z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * An optional true/false setting whose default depends on another (SYNTHETIC_SAMPLE follows
 * PROFILE): undefined when unset, so the reader can tell "unset" from "false".
 */
export const optionalFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

/** An http(s) URL. */
export const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' });

/** A PostgreSQL connection string; never echoed back in full since it may hold a password. */
export const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgresql:// connection string')
  .optional();

/** Treat empty variables as unset: `FOO= npm start` means "use the default". */
export function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

/**
 * How a process runs. `development` (what `npm start` runs): the embedded database, a synthetic
 * sample, development conveniences. `production`: PostgreSQL, published reference data only, and
 * every development-only setting refused at start (see `refuseInProduction`).
 */
export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

/** PROFILE as written; undefined when unset, for `defaultProfile` to decide. */
export const profileSetting = z.enum(PROFILES, { message: `must be ${PROFILES.join(' or ')}` }).optional();

/**
 * The profile when PROFILE is unset: `production` under NODE_ENV=production (what the container
 * image and the production start set), `development` otherwise. A process an operator starts by
 * hand in a production image therefore never becomes development by omission; the stack runner
 * (`npm start`) sets PROFILE=development itself.
 */
export function defaultProfile(env: NodeJS.ProcessEnv): Profile {
  return env['NODE_ENV'] === 'production' ? 'production' : 'development';
}

/**
 * One thing the production profile refuses. Each process keeps its rules in one list
 * (SUBGRAPH_PRODUCTION_RULES, GATEWAY_PRODUCTION_RULES), so refusing another development-only
 * setting is one more entry there.
 */
export interface ProductionRule<E> {
  /** The variable the operator has to change, named in the message. */
  setting: string;
  /** Why production refuses this environment's value of `setting`; undefined when it is acceptable. */
  refusal(env: E): string | undefined;
}

/**
 * Under PROFILE=production, fails with every broken rule named (the same EnvError as a bad value,
 * so the process prints it and exits 1); any other profile passes unchanged.
 */
export function refuseInProduction<E extends { PROFILE: Profile }>(env: E, rules: readonly ProductionRule<E>[]): E {
  if (env.PROFILE !== 'production') return env;
  const problems = rules.flatMap((rule) => {
    const refusal = rule.refusal(env);
    return refusal === undefined ? [] : [`  ${rule.setting}: ${refusal}`];
  });
  if (problems.length === 0) return env;
  throw new EnvError(
    `invalid environment for PROFILE=production (these settings are for development only):\n${problems.join('\n')}`,
  );
}
