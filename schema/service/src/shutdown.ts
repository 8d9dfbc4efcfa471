import type { Logger } from 'pino';

let whileStarting: (() => void) | undefined;

/**
 * From a service process's first line until it serves (`stopOnSignals` takes over then): when the
 * stack runner that started it goes away, however it went (its IPC channel closes), the process
 * exits at once, since nothing is served yet to drain. Each service runs in a process group of its
 * own under `npm start` (a terminal's Ctrl-C reaches the runner alone), so without this a runner
 * stopped while the services migrate and seed would leave them running, holding their ports.
 */
export function exitWhenParentGoesWhileStarting(): void {
  if (!process.send || whileStarting) return;
  whileStarting = () => process.exit(1);
  process.once('disconnect', whileStarting);
}

/**
 * The end of a service process's life, the same for the gateway and every subgraph: on SIGTERM,
 * SIGINT, or when the stack runner that started it goes away (its IPC channel closes), `stop`
 * drains in-flight requests once; the process exits 0 when it has, 1 when it fails or takes longer
 * than `timeoutMs`.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  if (whileStarting) {
    process.off('disconnect', whileStarting);
    whileStarting = undefined;
  }
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
