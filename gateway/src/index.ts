import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import {
  announceReady,
  createLogger,
  EnvError,
  exitWhenParentGoesWhileStarting,
  stopOnSignals,
} from '@bicentennial/service';
import { startGateway } from './app';
import { readEnv } from './env';
import { ensureIdeBuilt, hasSources } from './ide/build';
import { servePrimaryMetrics } from './telemetry';
import { announceWorkerListening, runPrimary, workerSpoolDir, workerVersionPeers } from './workers';

async function main(): Promise<void> {
  // A runner gone before this serves ends it too (the IDE build and the supergraph load take a while).
  exitWhenParentGoesWhileStarting();
  let env;
  try {
    env = readEnv();
  } catch (error) {
    process.stderr.write(`${error instanceof EnvError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const workers = env.GATEWAY_WORKERS ?? availableParallelism();
  if (cluster.isPrimary) await prebuildIde(createLogger('gateway', env.LOG_LEVEL).child({ component: 'ide' }));
  if (workers > 1 && cluster.isPrimary) {
    const logger = createLogger('gateway', env.LOG_LEVEL).child({ role: 'primary' });
    logger.info({ workers, heapMb: env.GATEWAY_WORKER_HEAP_MB }, 'starting gateway workers');
    // The workers' metrics, added up, on the primary's listener (METRICS_PORT); closed with the process.
    try {
      await servePrimaryMetrics(env, logger);
    } catch (error) {
      logger.fatal({ err: error }, 'could not start the metrics listener');
      process.exit(1);
    }
    runPrimary({
      workers,
      spoolDir: env.AUDIT_SPOOL_DIR,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      heapMb: env.GATEWAY_WORKER_HEAP_MB,
      logger,
      onListening: (url) => announceReady('gateway', url),
    });
    return;
  }
  const index = cluster.isWorker ? Number(process.env['GATEWAY_WORKER_INDEX'] ?? cluster.worker?.id ?? 1) : 0;
  const base = createLogger('gateway', env.LOG_LEVEL);
  const logger = cluster.isWorker ? base.child({ worker: index }) : base;
  let gateway;
  try {
    gateway = cluster.isWorker
      ? await startGateway({ ...env, AUDIT_SPOOL_DIR: workerSpoolDir(env.AUDIT_SPOOL_DIR, index) }, logger, {
          versionPeers: workerVersionPeers(logger),
        })
      : await startGateway(env, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  if (cluster.isWorker) {
    logger.info({ url: gateway.url }, 'worker serving');
    announceWorkerListening(gateway.url);
  } else {
    logger.info({ url: gateway.url }, 'serving');
    announceReady('gateway', gateway.url);
  }

  stopOnSignals(() => gateway.stop(), logger, env.SHUTDOWN_TIMEOUT_MS);
}

/**
 * In a checkout, the IDE is bundled once before serving (again only when its sources or packages
 * change), so that the first page is not kept waiting. A release ships it built.
 */
async function prebuildIde(logger: ReturnType<typeof createLogger>): Promise<void> {
  if (!hasSources()) return;
  try {
    const started = Date.now();
    const build = await ensureIdeBuilt();
    logger.debug({ stamp: build.stamp, ms: Date.now() - started }, 'IDE built');
  } catch (error) {
    // The graph serves without it; the page answers 503 IDE_UNAVAILABLE and tries again.
    logger.error({ err: error }, 'the IDE could not be built');
  }
}

void main();
