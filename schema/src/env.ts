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
