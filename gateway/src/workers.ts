import cluster, { type Worker } from 'node:cluster';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { VersionPeers } from './responseCache';

/**
 * The gateway on several cores (GATEWAY_WORKERS, default one per core): a primary process forks
 * the workers with node:cluster, and they share the listening port (the primary hands each new
 * connection to a worker). Each worker is a whole gateway; what they share is in Redis when
 * REDIS_URL is set (rate-limit buckets, the response cache), else each keeps its own, except the
 * response cache's data versions, which the primary keeps in step (a write answered by one worker
 * invalidates every worker's cached answers before it is answered).
 *
 * The primary serves nothing itself. It re-forks a worker that dies (after a back-off that grows
 * with repeated crashes), forwards SIGTERM/SIGINT to the workers and exits when they have drained,
 * and tells a parent stack runner it is ready once every worker listens.
 */

type Message =
  | { type: 'bicentennial:worker-listening'; url: string }
  | { type: 'bicentennial:versions-bump'; id: number; subgraphs: string[] }
  | { type: 'bicentennial:versions-apply'; id: string; subgraphs: string[] }
  | { type: 'bicentennial:versions-applied'; id: string }
  | { type: 'bicentennial:versions-bumped'; id: number };

const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string' &&
  (value as { type: string }).type.startsWith('bicentennial:');

/** How long a worker's bump waits for the other workers before the write is answered anyway. */
const BUMP_ACK_TIMEOUT_MS = 2_000;

/** In a worker: the response cache's version peers, over the IPC channel to the primary. */
export function workerVersionPeers(logger: Logger): VersionPeers {
  let next = 0;
  const waiting = new Map<number, () => void>();
  const listeners: ((subgraphs: readonly string[]) => void)[] = [];
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'bicentennial:versions-apply') {
      for (const listener of listeners) listener(message.subgraphs);
      process.send?.({ type: 'bicentennial:versions-applied', id: message.id } satisfies Message);
    } else if (message.type === 'bicentennial:versions-bumped') {
      waiting.get(message.id)?.();
    }
  });
  return {
    onAnnounce: (listener) => listeners.push(listener),
    announce: (subgraphs) =>
      new Promise<void>((resolve) => {
        const id = ++next;
        const timer = setTimeout(() => {
          waiting.delete(id);
          logger.warn(
            { subgraphs },
            'response cache: other workers did not confirm a write’s invalidation in time; answering the write anyway',
          );
          resolve();
        }, BUMP_ACK_TIMEOUT_MS);
        timer.unref();
        waiting.set(id, () => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        });
        process.send?.({ type: 'bicentennial:versions-bump', id, subgraphs: [...subgraphs] } satisfies Message);
      }),
  };
}

/** A worker's own audit spool folder (undelivered events are per worker: no two write the same files). */
export function workerSpoolDir(spoolDir: string, index: number): string {
  return join(spoolDir, `worker-${index}`);
}

/**
 * Events spooled by workers that will not run now (GATEWAY_WORKERS was lowered) move to worker 1,
 * which sends them at its start, as every worker sends its own folder's.
 */
function adoptOrphanSpools(spoolDir: string, workers: number, logger: Logger): void {
  if (!existsSync(spoolDir)) return;
  const first = workerSpoolDir(spoolDir, 1);
  for (const entry of readdirSync(spoolDir, { withFileTypes: true })) {
    const match = /^worker-(\d+)$/.exec(entry.name);
    if (!entry.isDirectory() || !match || Number(match[1]) <= workers) continue;
    mkdirSync(first, { recursive: true });
    for (const file of readdirSync(join(spoolDir, entry.name))) {
      renameSync(join(spoolDir, entry.name, file), join(first, `${entry.name}-${file}`));
    }
    logger.info({ from: entry.name }, 'audit spool of a worker no longer running handed to worker 1');
  }
}

export interface PrimaryOptions {
  workers: number;
  spoolDir: string;
  shutdownTimeoutMs: number;
  /** Each worker's V8 old-space limit, MiB (GATEWAY_WORKER_HEAP_MB). */
  heapMb: number;
  logger: Logger;
  /** Called once, when every worker listens (the URL they serve at). */
  onListening: (url: string) => void;
}

/**
 * A worker's Node flags: the primary's own, with the old-space limit set to `heapMb` (a limit
 * among the primary's flags is replaced; one in NODE_OPTIONS is overridden, as the command line's
 * flags come after it).
 */
export function workerExecArgv(execArgv: readonly string[], heapMb: number): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    if (/^--max[-_]old[-_]space[-_]size=/.test(flag)) continue;
    if (/^--max[-_]old[-_]space[-_]size$/.test(flag)) {
      i++;
      continue;
    }
    kept.push(flag);
  }
  return [...kept, `--max-old-space-size=${heapMb}`];
}

/** Runs the primary: forks and watches the workers until SIGTERM/SIGINT (or the parent going away). */
export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, options.heapMb) });
  adoptOrphanSpools(options.spoolDir, options.workers, logger);
  const indexOf = new Map<Worker, number>();
  const crashes = new Map<number, number>();
  const listening = new Set<number>();
  /** Workers that have listened once: one that dies before it ever did failed to start. */
  const started = new Set<number>();
  let announced = false;
  let stopping = false;
  let nextBump = 0;
  /** Bumps being applied: the worker that asked, its id, and the workers yet to confirm. */
  const bumps = new Map<string, { origin: Worker; originId: number; pending: Set<Worker> }>();

  const settleBump = (key: string) => {
    const bump = bumps.get(key);
    if (!bump || bump.pending.size > 0) return;
    bumps.delete(key);
    if (bump.origin.isConnected()) {
      bump.origin.send({ type: 'bicentennial:versions-bumped', id: bump.originId } satisfies Message);
    }
  };

  const fork = (index: number) => {
    const worker = cluster.fork({ GATEWAY_WORKER_INDEX: String(index) });
    indexOf.set(worker, index);
    worker.on('message', (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === 'bicentennial:worker-listening') {
        listening.add(index);
        started.add(index);
        crashes.delete(index);
        if (!announced && listening.size === options.workers) {
          announced = true;
          logger.info({ url: message.url, workers: options.workers }, 'serving');
          options.onListening(message.url);
        }
      } else if (message.type === 'bicentennial:versions-bump') {
        const key = `${++nextBump}`;
        const others = [...indexOf.keys()].filter((w) => w !== worker && w.isConnected());
        bumps.set(key, { origin: worker, originId: message.id, pending: new Set(others) });
        for (const other of others) {
          other.send({ type: 'bicentennial:versions-apply', id: key, subgraphs: message.subgraphs } satisfies Message);
        }
        settleBump(key);
      } else if (message.type === 'bicentennial:versions-applied') {
        bumps.get(message.id)?.pending.delete(worker);
        settleBump(message.id);
      }
    });
    worker.on('exit', (code, signal) => {
      indexOf.delete(worker);
      listening.delete(index);
      // A worker gone is not waited for: its cache is gone with it.
      for (const [key, bump] of bumps) {
        bump.pending.delete(worker);
        settleBump(key);
      }
      if (stopping) {
        if (indexOf.size === 0) {
          logger.info('every worker stopped');
          process.exit(exitCode);
        }
        return;
      }
      if (!started.has(index)) {
        // A worker that cannot start (a missing supergraph, a refused setting) will not start the
        // next time either: the gateway exits, as a single process would, for its supervisor to see.
        logger.fatal({ worker: index, code, signal }, 'a gateway worker could not start; stopping');
        stop('a worker could not start', 1);
        return;
      }
      const count = (crashes.get(index) ?? 0) + 1;
      crashes.set(index, count);
      const delayMs = Math.min(10_000, 100 * 2 ** (count - 1));
      logger.error({ worker: index, code, signal, restartInMs: delayMs }, 'gateway worker exited; starting another');
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delayMs).unref();
    });
  };

  let exitCode = 0;
  const stop = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ signal, workers: indexOf.size }, 'stopping: the workers drain their in-flight requests');
    if (indexOf.size === 0) process.exit(exitCode);
    for (const worker of indexOf.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('workers did not stop in time; exiting');
      for (const worker of indexOf.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownTimeoutMs + 2_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('parent gone'));
  for (let index = 1; index <= options.workers; index++) fork(index);
}

/** In a worker: tells the primary it listens. */
export function announceWorkerListening(url: string): void {
  process.send?.({ type: 'bicentennial:worker-listening', url } satisfies Message);
}
