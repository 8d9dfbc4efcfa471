import type { Logger } from 'pino';
import { tryAgain, silentLogger } from '@bicentennial/service';
import type { RawSql } from './idempotency';
import { pruneSubmissions } from './idempotency';
import { followedState, invalidateSnapshots } from './snapshot';
import { SNAPSHOT_CHANNEL } from './snapshotFollower';

/** How long a write may wait, and how long its idempotency keys are kept (README, Configuration). */
export interface WriteSettings {
  /** Longest any one statement of a write may run (PostgreSQL `statement_timeout`). */
  statementTimeoutMs: number;
  /** Longest a write waits for a lock another transaction holds (PostgreSQL `lock_timeout`). */
  lockTimeoutMs: number;
  /** Longest a whole write transaction may take (Prisma's interactive transaction `timeout`). */
  transactionTimeoutMs: number;
  /** How long a `Submission` (an idempotency key and its result) is kept for replays. */
  submissionRetentionHours: number;
  /** How often, at most, a process prunes Submission rows past the retention (after a write). */
  pruneIntervalMs: number;
  /** Where pruning problems are reported. */
  logger: Logger;
}

export const DEFAULT_WRITE_SETTINGS: WriteSettings = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  transactionTimeoutMs: 60_000,
  submissionRetentionHours: 168,
  pruneIntervalMs: 10 * 60_000,
  logger: silentLogger,
};

let settings: WriteSettings = DEFAULT_WRITE_SETTINGS;

/**
 * Sets how every write of this process waits and how long it keeps idempotency keys; a subgraph
 * calls it once at start, from its environment (DB_STATEMENT_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS,
 * DB_TRANSACTION_TIMEOUT_MS, SUBMISSION_RETENTION_HOURS). A process-wide setting because every
 * resolver builds its runner with `transactions(prisma)`, and one process serves one subgraph.
 * Returns the settings it replaced (tests put them back).
 */
export function configureWrites(changes: Partial<WriteSettings>): WriteSettings {
  const previous = settings;
  settings = { ...settings, ...changes };
  return previous;
}

export const writeSettings = (): WriteSettings => settings;

/** What a Prisma client offers for interactive transactions (Tx: its transaction client). */
export interface TransactionalClient<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}

/** PostgreSQL's codes (and Prisma's) for a write that may succeed when sent again. */
const RETRYABLE: Record<string, string> = {
  '57014': 'it ran longer than the statement timeout',
  '55P03': 'it waited too long for a lock held by another write',
  '40001': 'it could not be ordered with a concurrent write',
  '40P01': 'it deadlocked with a concurrent write',
  P2028: 'it took longer than the transaction timeout',
  P2034: 'it could not be ordered with a concurrent write',
};

/**
 * Why an error from a write is worth retrying, or undefined: PostgreSQL's SQLSTATE travels in
 * different places through @prisma/adapter-pg, the PGlite adapter and Prisma's own errors, so
 * every place is looked at, down a few levels of causes.
 */
export function retryableReason(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const e = current as {
      code?: unknown;
      cause?: { originalCode?: unknown; code?: unknown };
      meta?: { code?: unknown; driverAdapterError?: unknown };
    };
    for (const code of [e.code, e.cause?.originalCode, e.cause?.code, e.meta?.code]) {
      if (typeof code === 'string' && RETRYABLE[code]) return RETRYABLE[code];
    }
    current = e.meta?.driverAdapterError ?? e.cause;
  }
  return undefined;
}

/**
 * Runs work in one interactive transaction that cannot hang: its first statement sets
 * `statement_timeout` and `lock_timeout` for this transaction only (`set_config(…, true)`, as
 * SET LOCAL; the embedded database accepts them too, though with one connection it never waits
 * for a lock), and Prisma ends a transaction that outlives `transactionTimeoutMs`. A write
 * stopped by a timeout, a deadlock or a serialization failure is rolled back and answers
 * TRY_AGAIN (`extensions.retryable: true`): nothing was written, and the same request with the
 * same idempotency key may be sent again. After a write commits, Submission rows older than the
 * retention are pruned now and then (`pruneSubmissions`, a few bounded batches, never inside a write).
 * Once the transaction has ended, whatever its outcome, the reference data snapshots read through
 * `client` are dropped (records/snapshot.ts): after the commit, so that no reload can keep the
 * state before it, and before the mutation answers, so that no read after the answer is served
 * the old data. A rolled-back (or failed) write drops them too: a reload then reads the same
 * committed state, and a failure whose outcome is unknown (a connection lost during COMMIT) is
 * covered.
 */
export function transactions<Tx extends RawSql>(
  client: TransactionalClient<Tx> & RawSql,
  overrides: Partial<WriteSettings> = {},
) {
  return async <R>(work: (tx: Tx) => Promise<R>): Promise<R> => {
    const current = { ...settings, ...overrides };
    let result: R;
    try {
      result = await client.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe(
            `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`,
            `${current.statementTimeoutMs}ms`,
            `${current.lockTimeoutMs}ms`,
          );
          const result = await work(tx);
          // Delivered to the other processes on this database when the transaction commits, and
          // never if it does not: they drop their snapshots (records/snapshotFollower.ts).
          const follow = followedState(client);
          if (follow) await tx.$executeRawUnsafe(`SELECT pg_notify($1, $2)`, SNAPSHOT_CHANNEL, follow.instance);
          return result;
        },
        { maxWait: Math.min(10_000, current.transactionTimeoutMs), timeout: current.transactionTimeoutMs },
      );
    } catch (error) {
      const reason = retryableReason(error);
      if (reason) {
        throw tryAgain(
          `the write was rolled back because ${reason}; nothing was written: send it again (with the same idempotency key)`,
        );
      }
      throw error;
    } finally {
      invalidateSnapshots(client);
    }
    await pruneNowAndThen(client, current);
    return result;
  };
}

const lastPruned = new WeakMap<object, number>();

/**
 * Prunes after a committed write when the last pruning of this client is older than
 * `pruneIntervalMs`. The table only grows by writes, so pruning on writes keeps it bounded
 * without a timer per process; a pruning that found a backlog bigger than its batches leaves the
 * clock alone, so the next write goes on with it. A failure is logged and never fails the write.
 */
async function pruneNowAndThen(client: RawSql, current: WriteSettings): Promise<void> {
  const now = Date.now();
  if (now - (lastPruned.get(client) ?? 0) < current.pruneIntervalMs) return;
  lastPruned.set(client, now);
  try {
    const { deleted, more } = await pruneSubmissions(client, { retentionHours: current.submissionRetentionHours });
    if (more) lastPruned.delete(client);
    if (deleted > 0) current.logger.info({ deleted, more }, 'pruned idempotency keys past their retention');
  } catch (error) {
    // Tried again after the interval: a database that refuses the DELETE should not cost every write.
    current.logger.warn({ err: error }, 'could not prune idempotency keys past their retention; will try again');
  }
}
