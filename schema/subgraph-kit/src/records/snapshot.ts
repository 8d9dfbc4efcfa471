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
 * This is exact while one process writes a database: the embedded database (its lock admits one
 * process) and one subgraph instance per PostgreSQL database, as docker-compose runs them.
 * Several instances on one PostgreSQL database each drop their snapshots on their own writes
 * only; they need the other instances' commits too (LISTEN/NOTIFY on a connection of their own),
 * which the runtime does not open yet.
 */
export class Snapshot<T> {
  private current: Promise<T> | undefined;

  constructor(private readonly load: () => Promise<T>) {}

  /** The data, loaded now if nothing valid is held (one load for every concurrent caller). */
  get(): Promise<T> {
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
  }

  /** Whether data is held or being loaded (tests: did a write drop it?). */
  get held(): boolean {
    return this.current !== undefined;
  }
}

/** Snapshots by the Prisma client they read through (the process's one unnarrowed client), by name. */
const snapshots = new WeakMap<object, Map<string, Snapshot<unknown>>>();

/**
 * The process's snapshot `name` over `client`, created with `load` on first use. `client` must be
 * the client writes go through (`transactions(client)`), so that they invalidate it.
 */
export function snapshotOf<T>(client: object, name: string, load: () => Promise<T>): Snapshot<T> {
  let byName = snapshots.get(client);
  if (!byName) snapshots.set(client, (byName = new Map<string, Snapshot<unknown>>()));
  let snapshot = byName.get(name) as Snapshot<T> | undefined;
  if (!snapshot) byName.set(name, (snapshot = new Snapshot(load)));
  return snapshot;
}

/** Drops every snapshot read through `client`: after a write through it has ended. */
export function invalidateSnapshots(client: object): void {
  for (const snapshot of snapshots.get(client)?.values() ?? []) snapshot.invalidate();
}
