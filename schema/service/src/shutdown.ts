import type { Logger } from 'pino';

/**
 * The end of a service process's life, the same for the gateway and every subgraph: on SIGTERM,
 * SIGINT, or when the stack runner that started it goes away (its IPC channel closes), `stop`
 * drains in-flight requests once; the process exits 0 when it has, 1 when it fails or takes longer
 * than `timeoutMs`.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining in-flight requests');
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('disconnect', () => shutdown('parent gone'));
}
