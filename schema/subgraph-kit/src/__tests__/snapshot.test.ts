import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import {
  createIndicatorLoaders,
  progressFor,
  summaryUnder,
  type IndicatorClient,
  type IndicatorRow,
  type ObservationRow,
} from '../indicators/observations';
import { releasedFilter } from '../records/releasability';
import { invalidateSnapshots, setFollowed, Snapshot, snapshotOf } from '../records/snapshot';
import { configureWrites, transactions, type TransactionalClient } from '../records/transactions';
import type { RawSql } from '../records/idempotency';

const US: Caller = { subject: 'jdoe', agency: 'CBP', country: 'US', scopes: [] };
const MX: Caller = { subject: 'mlopez', agency: 'FGR', country: 'MX', scopes: [] };
const MODELS = new Set(['Observation']);

/** A promise with its resolve, to hold a load or a transaction where a test wants it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('a reference data snapshot', () => {
  it('loads once for every reader, and again only after it is invalidated', async () => {
    let loads = 0;
    const snapshot = new Snapshot(() => Promise.resolve(++loads));
    expect(await Promise.all([snapshot.get(), snapshot.get()])).toEqual([1, 1]);
    expect(await snapshot.get()).toBe(1);
    snapshot.invalidate();
    expect(snapshot.held).toBe(false);
    expect(await snapshot.get()).toBe(2);
    expect(loads).toBe(2);
  });

  it('never keeps a load that was under way when it was invalidated', async () => {
    const first = deferred<string>();
    const loads = [first.promise, Promise.resolve('after the write')];
    const snapshot = new Snapshot(() => loads.shift()!);
    // A read begins, its load reads the state before a write, the write ends and invalidates.
    const early = snapshot.get();
    snapshot.invalidate();
    first.resolve('before the write');
    // The reader that was already waiting gets what it waited for (it began before the write
    // answered); every read from now on loads again.
    expect(await early).toBe('before the write');
    expect(await snapshot.get()).toBe('after the write');
    expect(await snapshot.get()).toBe('after the write');
  });

  it('does not keep a failed load', async () => {
    const loads = [Promise.reject(new Error('database unavailable')), Promise.resolve('loaded')];
    const snapshot = new Snapshot(() => loads.shift()!);
    await expect(snapshot.get()).rejects.toThrow('database unavailable');
    expect(await snapshot.get()).toBe('loaded');
  });

  it('is one per client and name, and invalidated with the other snapshots of its client only', async () => {
    const [client, other] = [{}, {}];
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    const a = snapshotOf(client, 'a', load);
    expect(snapshotOf(client, 'a', load)).toBe(a);
    const b = snapshotOf(client, 'b', load);
    const elsewhere = snapshotOf(other, 'a', load);
    await Promise.all([a.get(), b.get(), elsewhere.get()]);
    invalidateSnapshots(client);
    expect([a.held, b.held, elsewhere.held]).toEqual([false, false, true]);
  });
});

describe('writes and snapshots', () => {
  /**
   * A stand-in for Prisma's interactive transactions: the work runs, then the commit is held
   * until the test lets it finish (or fail), as a real COMMIT takes its time.
   */
  function fakeClient() {
    const commit = deferred<void>();
    const sql: RawSql = {
      $queryRawUnsafe: () => Promise.resolve([] as never),
      $executeRawUnsafe: () => Promise.resolve(0),
    };
    const client: TransactionalClient<RawSql> & RawSql = {
      ...sql,
      $transaction: async (work) => {
        const result = await work(sql);
        await commit.promise;
        return result;
      },
    };
    return { client, commit };
  }
  let previous: ReturnType<typeof configureWrites>;
  // No pruning of idempotency keys in these tests: the stand-in has no Submission table.
  beforeAll(() => (previous = configureWrites({ pruneIntervalMs: Number.MAX_SAFE_INTEGER })));
  afterAll(() => configureWrites(previous));

  it('are dropped once the transaction has committed, not before, and before the write answers', async () => {
    const { client, commit } = fakeClient();
    const snapshot = snapshotOf(client, 'test', () => Promise.resolve('data'));
    await snapshot.get();
    let heldDuringWork: boolean | undefined;
    const write = transactions(client)(() => {
      heldDuringWork = snapshot.held;
      return Promise.resolve('written');
    });
    // The work has run; the commit has not ended: the snapshot still holds the committed state.
    await new Promise((resolve) => setImmediate(resolve));
    expect(heldDuringWork).toBe(true);
    expect(snapshot.held).toBe(true);
    commit.resolve();
    await write.then((answer) => {
      // What the mutation answers with comes after the snapshot was dropped.
      expect(answer).toBe('written');
      expect(snapshot.held).toBe(false);
    });
  });

  it('are dropped when a transaction fails too, once it has ended', async () => {
    const { client, commit } = fakeClient();
    const snapshot = snapshotOf(client, 'test', () => Promise.resolve('data'));
    await snapshot.get();
    const write = transactions(client)(() => Promise.resolve('written'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(snapshot.held).toBe(true);
    commit.reject(new Error('connection lost during COMMIT'));
    await expect(write).rejects.toThrow('connection lost during COMMIT');
    expect(snapshot.held).toBe(false);
  });
});

describe('releasability of rows held in memory', () => {
  const row = (releasableTo: string, kind: string) => ({ releasableTo, source: { kind } });
  const rows = [
    row('US', 'OFFICIAL'),
    row('MX', 'OFFICIAL'),
    row('BOTH', 'OFFICIAL'),
    row('BOTH', 'SYNTHETIC'),
    row('BOTH', 'NON_OFFICIAL'),
  ];
  const shown = (caller: Caller) => rows.filter(releasedFilter('Observation', caller, MODELS)!);

  it('shows each caller exactly what the SQL condition shows it', () => {
    expect(shown(US)).toEqual([rows[0], rows[2], rows[3], rows[4]]);
    expect(shown(MX)).toEqual([rows[1], rows[2], rows[3], rows[4]]);
    // The public: released to both, and from published (OFFICIAL or NON_OFFICIAL) sources only.
    expect(shown(ANONYMOUS)).toEqual([rows[2], rows[4]]);
    expect(releasedFilter('Indicator', ANONYMOUS, MODELS)).toBeUndefined();
  });

  it('refuses to guess a condition it cannot check on the row', () => {
    // The public's condition names the source; a row loaded without it cannot be checked.
    expect(() => releasedFilter('Observation', ANONYMOUS, MODELS)!({ releasableTo: 'BOTH' })).toThrow(
      /Observation\.source .* cannot be checked in memory/,
    );
  });
});

describe('indicator values from the snapshot', () => {
  const observation = (id: string, period: string, releasableTo: 'US' | 'MX' | 'BOTH'): ObservationRow => ({
    id,
    indicatorId: '2.2.1/test',
    period,
    periodKind: 'CALENDAR_YEAR',
    periodStart: new Date(`${period}-01-01T00:00:00Z`),
    periodEnd: new Date(`${period}-12-31T00:00:00Z`),
    value: Number(period),
    qualifier: 'EXACT',
    regionCode: 'MX',
    status: 'FINAL',
    note: null,
    releasableTo,
    recordedBy: 'test',
    recordedAt: new Date(0),
    source: {
      id: 's',
      publisher: 'P',
      title: 'T',
      url: null,
      kind: 'OFFICIAL',
      publishedOn: null,
      citedVia: null,
      citedOn: null,
    },
  });

  const INDICATOR: IndicatorRow = {
    id: '2.2.1/test',
    objectiveId: '2.2.1',
    direction: 'HIGHER_IS_BETTER',
    directionRuleEn: 'More is better.',
    directionRuleEs: 'Más es mejor.',
    headlinePublisher: 'P',
    headlinePeriodKind: 'CALENDAR_YEAR',
    headlineRegion: 'MX',
    headlineDescriptionEn: 'P per year',
    headlineDescriptionEs: 'P por año',
    coverageReason: null,
    coverageNote: null,
  };

  it('reads the database once, and answers each caller its own rows in series order', async () => {
    let reads = 0;
    const prisma: IndicatorClient = {
      indicator: { findMany: () => Promise.resolve([INDICATOR]) },
      target: { findMany: () => Promise.resolve([]) },
      baseline: { findMany: () => Promise.resolve([]) },
      observation: {
        findMany: () => {
          reads += 1;
          return Promise.resolve([
            observation('c', '2003', 'MX'),
            observation('a', '2001', 'US'),
            observation('b', '2002', 'BOTH'),
          ]);
        },
      },
    };
    const periods = async (caller: Caller) =>
      (await createIndicatorLoaders(prisma, caller, MODELS).observations.load('2.2.1/test')).map((o) => o.period);
    expect(await periods(US)).toEqual(['2001', '2002']);
    expect(await periods(MX)).toEqual(['2002', '2003']);
    expect(await periods(ANONYMOUS)).toEqual(['2002']);
    const loaders = createIndicatorLoaders(prisma, US, MODELS);
    expect(await loaders.indicator.load('2.2.1/test')).toEqual(INDICATOR);
    expect(await loaders.indicator.load('2.2.1/none')).toBeNull();
    expect(await loaders.observations.load('2.2.1/none')).toEqual([]);
    expect(reads).toBe(1);
  });

  it("works out an indicator's headline and progress once per request, and again after a write drops the snapshot", async () => {
    let stored = [observation('a', '2020', 'BOTH'), observation('b', '2021', 'BOTH'), observation('c', '2023', 'BOTH')];
    const prisma: IndicatorClient = {
      indicator: { findMany: () => Promise.resolve([INDICATOR]) },
      target: { findMany: () => Promise.resolve([]) },
      baseline: { findMany: () => Promise.resolve([]) },
      observation: { findMany: () => Promise.resolve(stored) },
    };
    const context = { indicators: createIndicatorLoaders(prisma, US, MODELS) };
    let computed = 0;
    const headlines = context.indicators.observations;
    context.indicators.observations = {
      load: (id) => {
        computed += 1;
        return headlines.load(id);
      },
    };
    // The goal's, the area's and the objective's summaries, then the indicator's own field.
    const summaries = await Promise.all(['2', '2.2', '2.2.1'].map((id) => summaryUnder(id, context)));
    expect(summaries.map((summary) => summary.withData)).toEqual([1, 1, 1]);
    const first = await progressFor(INDICATOR, context);
    expect(await progressFor(INDICATOR, context)).toBe(first);
    expect([first.status, first.baseline?.value, first.latest?.value]).toEqual(['NO_CHANGE', 2021, 2023]); // +0.1 %: under 1 %;
    // Headline once (progress and its baseline share it), coverage once per summary.
    expect(computed).toBe(1 + 3);
    // A write in this process ends: the snapshot is dropped, and what was worked out from it.
    stored = [...stored, observation('d', '2024', 'BOTH')];
    invalidateSnapshots(prisma);
    const after = await progressFor(INDICATOR, context);
    expect(after).not.toBe(first);
    expect(after.latest?.value).toBe(2024);
  });

  it('loads once per request while snapshots are not kept (a replica not hearing the others), not at every read', async () => {
    let loads = 0;
    const prisma: IndicatorClient = {
      indicator: { findMany: () => Promise.resolve([INDICATOR]) },
      target: { findMany: () => Promise.resolve([]) },
      baseline: { findMany: () => Promise.resolve([]) },
      observation: {
        findMany: () => {
          loads += 1;
          return Promise.resolve([observation('a', '2021', 'BOTH'), observation('b', '2023', 'BOTH')]);
        },
      },
    };
    setFollowed(prisma, { instance: 'test', inStep: false });
    try {
      const context = { indicators: createIndicatorLoaders(prisma, US, MODELS) };
      await Promise.all(['2', '2.2', '2.2.1'].map((id) => summaryUnder(id, context)));
      await progressFor(INDICATOR, context);
      expect(loads).toBe(1);
      // Another request loads again: nothing is kept between requests while not in step.
      await progressFor(INDICATOR, { indicators: createIndicatorLoaders(prisma, US, MODELS) });
      expect(loads).toBe(2);
    } finally {
      setFollowed(prisma, undefined);
    }
  });
});
