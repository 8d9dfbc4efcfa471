/**
 * Reference data held in the subgraph's memory: tables every Dashboard reads whole and that change
 * a few times a year (framework's catalogue; each domain's indicators, their values and sources).
 * Reading them through SQL on every request cost most of a subgraph's CPU (on the embedded
 * database the SQL engine runs in the subgraph's own process), so each is loaded once, on first
 * use, and kept until something may have changed it.
 *
 * What may change it: a write of this process, which always goes through `transactions()`
 * (records/transactions.ts). That calls `invalidateSnapshots(client)` once the transaction has
 * ended, committed or rolled back — never while it is open, so a reload cannot read the state
 * before a commit and keep it after. Ending before the mutation answers, the next read after a
 * write's response always loads afresh. A write outside the write layer (a test's own SQL, a
 * maintenance script in the process) must call `invalidateSnapshots` itself.
 *
 * A snapshot holds every row, whoever may read it: what a caller may see (releasability) is
 * applied to each read from memory (`releasedFilter` in releasability.ts), never baked into the
 * snapshot.
 *
 * Other processes on the same PostgreSQL database (replicas of the subgraph) are followed by
 * `followOtherWriters` (records/snapshotFollower.ts): each write transaction sends a NOTIFY, which
 * PostgreSQL delivers to every listening process when (and only if) it commits, and each drops its
 * snapshots when it hears one. While a process's listening connection is down, its snapshots are
 * not kept at all (every read goes to the database) until it listens again.
 */
export class Snapshot<T> {
  private current: Promise<T> | undefined;
  private invalidations = 0;

  /** `keep`: whether what is loaded may be kept now (false: each read loads). */
  constructor(
    private readonly load: () => Promise<T>,
    private readonly keep: () => boolean = () => true,
  ) {}

  /** The data, loaded now if nothing valid is held (one load for every concurrent caller). */
  get(): Promise<T> {
    if (!this.keep()) return this.load();
    if (this.current) return this.current;
    const loading = this.load();
    this.current = loading;
    // A failed load is not kept: the next read tries again.
    loading.catch(() => {
      if (this.current === loading) this.current = undefined;
    });
    return loading;
  }

  /**
   * Drops what is held, and a load still under way: a load that began before a write ended may
   * have read the state before it, so it answers only the reads that were already waiting for it
   * (they began before the write's answer) and is never kept.
   */
  invalidate(): void {
    this.current = undefined;
    this.invalidations += 1;
  }

  /**
   * How many times it was invalidated: what a request read before a write (or another replica's
   * notice) is no longer valid once this has moved, whether or not anything is held.
   */
  get generation(): number {
    return this.invalidations;
  }

  /** Whether data is held or being loaded (tests: did a write drop it?). */
  get held(): boolean {
    return this.current !== undefined;
  }
}

/** Snapshots by the Prisma client they read through (the process's one unnarrowed client), by name. */
const snapshots = new WeakMap<object, Map<string, Snapshot<unknown>>>();

/** How a client follows the writes of other processes (`followOtherWriters`), when it does. */
export interface FollowedClient {
  /** This process's id in the notifications it sends (its own are not acted on twice). */
  readonly instance: string;
  /** Listening now: every commit elsewhere is heard. False: snapshots are not kept. */
  inStep: boolean;
}

const followed = new WeakMap<object, FollowedClient>();

/** Marks `client` as followed (or no longer, with `undefined`); records/snapshotFollower.ts. */
export function setFollowed(client: object, state: FollowedClient | undefined): void {
  if (state) followed.set(client, state);
  else followed.delete(client);
}

/** How `client` follows other writers; undefined when it does not (one process per database). */
export function followedState(client: object): FollowedClient | undefined {
  return followed.get(client);
}

/** Whether snapshots read through `client` may be kept now. */
export function snapshotsInStep(client: object): boolean {
  return followed.get(client)?.inStep ?? true;
}

/**
 * The process's snapshot `name` over `client`, created with `load` on first use. `client` must be
 * the client writes go through (`transactions(client)`), so that they invalidate it.
 */
export function snapshotOf<T>(client: object, name: string, load: () => Promise<T>): Snapshot<T> {
  let byName = snapshots.get(client);
  if (!byName) snapshots.set(client, (byName = new Map<string, Snapshot<unknown>>()));
  let snapshot = byName.get(name) as Snapshot<T> | undefined;
  if (!snapshot) byName.set(name, (snapshot = new Snapshot(load, () => snapshotsInStep(client))));
  return snapshot;
}

/** Drops every snapshot read through `client`: after a write through it has ended. */
export function invalidateSnapshots(client: object): void {
  for (const snapshot of snapshots.get(client)?.values() ?? []) snapshot.invalidate();
}
