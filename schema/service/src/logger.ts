import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One JSON line per event on stdout (the stack runner prefixes and pretty-prints them;
 * in production a log shipper reads them as they are).
 */
export function createLogger(name: string, level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  return pino({ name, level, base: { service: name }, ...options });
}

/** A logger that writes nothing: tests pass it so that no test writes to the console. */
export const silentLogger: Logger = pino({ level: 'silent' });
