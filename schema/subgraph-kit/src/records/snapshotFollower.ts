import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { invalidateSnapshots, setFollowed, type FollowedClient } from './snapshot';

/** The channel every write transaction notifies on (its payload: the writing process's id). */
export const SNAPSHOT_CHANNEL = 'bicentennial_snapshots';

export interface SnapshotFollower {
  /** Listening now (snapshots kept); false while the connection is being made again. */
  readonly inStep: boolean;
  /** Stops listening; the client's snapshots are then kept again as for a sole writer. */
  close(): Promise<void>;
}

/**
 * Keeps the snapshots read through `client` in step with every other process writing the same
 * PostgreSQL database (replicas of the subgraph): a connection of its own LISTENs on
 * `SNAPSHOT_CHANNEL`, each write transaction of any process NOTIFYs on it (transactions.ts), and
 * PostgreSQL delivers that when the transaction commits. Hearing another process's notification
 * drops every snapshot of `client`.
 *
 * Until the connection listens, and whenever it is lost, nothing would tell this process of a
 * commit elsewhere: its snapshots are dropped and not kept (each read goes to the database) until
 * it listens again, retried with a back-off from 0.5 s doubling to 30 s. So a process never serves
 * from memory what another process's committed write has changed, for longer than it takes
 * PostgreSQL to deliver a notification (it sends them at commit; on one server, milliseconds).
 */
export function followOtherWriters(options: {
  client: object;
  url: string;
  logger: Logger;
  /** The subgraph's name, in the connection's application_name. */
  service: string;
}): SnapshotFollower {
  const { client, logger } = options;
  const state: FollowedClient = { instance: randomUUID(), inStep: false };
  setFollowed(client, state);
  invalidateSnapshots(client);
  let connection: pg.Client | undefined;
  let closed = false;
  let delayMs = 500;
  let retry: NodeJS.Timeout | undefined;
  let outage = false;

  const lost = (error: unknown) => {
    if (closed) return;
    const wasInStep = state.inStep;
    state.inStep = false;
    invalidateSnapshots(client);
    const dead = connection;
    connection = undefined;
    dead?.removeAllListeners();
    // A client that failed may still hold a socket; errors from closing it are of no interest.
    dead?.on('error', () => undefined);
    void dead?.end().catch(() => undefined);
    if (wasInStep || !outage) {
      logger.warn(
        { err: error, retryInMs: delayMs },
        'snapshot listener lost: reference data is read from the database on every request until it listens again',
      );
    }
    outage = true;
    if (!retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, delayMs);
      retry.unref();
    }
    delayMs = Math.min(delayMs * 2, 30_000);
  };

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({
      connectionString: options.url,
      application_name: `${options.service}-snapshots-${state.instance.slice(0, 8)}`,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    next.on('error', lost);
    next.on('end', () => lost(new Error('the listening connection ended')));
    next.on('notification', (message) => {
      if (message.channel === SNAPSHOT_CHANNEL && message.payload !== state.instance) invalidateSnapshots(client);
    });
    connection = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${SNAPSHOT_CHANNEL}`);
    } catch (error) {
      if (connection === next) lost(error);
      return;
    }
    if (closed || connection !== next) return;
    // Whatever was read while out of step was not kept; from here every commit elsewhere is heard.
    invalidateSnapshots(client);
    state.inStep = true;
    delayMs = 500;
    if (outage) logger.info('snapshot listener listening again: reference data is served from memory again');
    outage = false;
  };

  void connect();
  return {
    get inStep() {
      return state.inStep;
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      setFollowed(client, undefined);
      invalidateSnapshots(client);
      const last = connection;
      connection = undefined;
      last?.removeAllListeners();
      last?.on('error', () => undefined);
      await last?.end().catch(() => undefined);
    },
  };
}
