import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Longest wait between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 1_000;
/** How long a Redis that failed a command is left alone before it is tried again. */
const REDIS_BACKOFF_MS = 1_000;

/**
 * The gateway's connection to Redis, for what it shares between replicas (rate limits, the
 * response cache), with one policy for an outage: Redis down never takes the gateway down.
 *
 * - Commands time out after `timeoutMs`; a command while disconnected fails at once (no offline
 *   queue), and the connection keeps being re-made in the background.
 * - Until the first connection is ready, a request waits for it (at most one timeout) rather than
 *   doing without Redis while it is being made (a busy start-up can take longer than a timeout).
 * - After a failed command, `usable()` is false for a second, so that every request does not wait
 *   for a Redis that has stopped answering; the user falls back to what it does without Redis.
 * - One warning when an outage starts, one info line when Redis answers again (then `onBack`).
 */
export interface SharedRedis<R extends Redis = Redis> {
  readonly client: R;
  /** Resolves when the client may be used for this request: false means "do without Redis now". */
  usable(): Promise<boolean>;
  /** Reports a command that failed: Redis is skipped for a while. */
  failed(error: unknown): void;
  /** Reports a command that succeeded (ends an outage). */
  succeeded(): void;
  /** Quits (or drops) the connection. Idempotent. */
  close(): Promise<void>;
}

export function connectRedis<R extends Redis = Redis>(options: {
  url: string;
  timeoutMs: number;
  logger: Logger;
  /** Logged when an outage starts: what the gateway does without Redis. */
  downMessage: string;
  /** Logged when Redis answers again. */
  backMessage: string;
  /** Called when Redis answers again after an outage. */
  onBack?: () => void;
}): SharedRedis<R> {
  const { timeoutMs, logger } = options;
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // On close, a connection that does not finish closing in time is destroyed (default 2 s).
    disconnectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    // Keep reconnecting in the background, never giving up.
    retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  }) as R;

  let down = false;
  let skipUntil = 0;
  let closed = false;
  const markDown = (error: unknown) => {
    if (down) return;
    down = true;
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, options.downMessage);
  };
  // Without a listener ioredis prints every connection error; one warning per outage is enough.
  client.on('error', (error: unknown) => {
    if (!closed) markDown(error);
  });
  let everReady = false;
  client.on('ready', () => (everReady = true));
  /** Until the first connection is ready (start-up), a request waits for it, at most one timeout. */
  const firstConnection = () =>
    new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        client.off('ready', settle);
        client.off('error', settle);
        client.off('end', settle);
        resolve();
      };
      const timer = setTimeout(settle, timeoutMs);
      timer.unref();
      client.once('ready', settle);
      client.once('error', settle);
      client.once('end', settle);
    });

  return {
    client,
    usable: async () => {
      if (client.status !== 'ready' && !everReady && !closed) await firstConnection();
      if (closed || performance.now() < skipUntil) return false;
      if (client.status !== 'ready') {
        // Not (yet, or any more) connected: ioredis would refuse the command at once anyway.
        markDown(new Error(`Redis connection is ${client.status}`));
        return false;
      }
      return true;
    },
    failed: (error) => {
      // A timeout leaves the connection up: skip Redis for a while so every request does not wait.
      skipUntil = performance.now() + REDIS_BACKOFF_MS;
      markDown(error);
    },
    succeeded: () => {
      if (!down) return;
      down = false;
      logger.info(options.backMessage);
      options.onBack?.();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (client.status === 'ready') {
        try {
          await client.quit();
          return;
        } catch {
          // Fall through: drop the connection instead.
        }
      }
      client.disconnect();
    },
  };
}
