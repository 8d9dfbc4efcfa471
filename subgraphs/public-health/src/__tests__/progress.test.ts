import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureWrites,
  invalidateSnapshots,
  readIndicatorSeed,
  readSubgraphEnv,
  startSubgraph,
  type RunningSubgraph,
  type SubgraphProgram,
} from '@bicentennial/subgraph-kit';
import { silentLogger, type Profile } from '@bicentennial/service';
import {
  createTestKeys,
  createThrowawayDatabase,
  describeOn,
  describeOnPostgres,
  holdInserts,
  startTestSubgraph,
  TEST_DATABASES,
  TEST_RECORDED_BY,
  together,
  type TestSubgraph,
} from '@bicentennial/testing';
import type { Context } from '../context';
import type { PrismaClient } from '../generated/prisma/client';
import { SEED_FILE } from '../seed';
import * as publicHealth from '../server';

const DEATHS = '1.1.1/us-overdose-deaths';
const SOURCE = 'progress-test-strategy';

const PROGRESS = `#graphql
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on PublicHealthIndicator {
        id
        baseline { period value basis note source { id } }
        targets { period periodEnd value setBy note recordedBy document { id title } }
        progress {
          status change towardTarget timeElapsed
          baseline { period value basis }
          target { period value }
        }
      }
    }
  }`;
const SET_TARGET = `#graphql
  mutation ($input: TargetInput!, $submission: SubmissionInput!) {
    setPublicHealthIndicatorTarget(input: $input, submission: $submission) {
      period periodKind value setBy document { id } note
    }
  }`;
const SET_BASELINE = `#graphql
  mutation ($input: BaselineInput!, $submission: SubmissionInput!) {
    setPublicHealthIndicatorBaseline(input: $input, submission: $submission) { period value basis note source { id } }
  }`;

interface ProgressResult {
  id: string;
  baseline: { period: string; value: number; basis: string; note: string | null; source: { id: string } } | null;
  targets: { period: string; value: number; setBy: string; recordedBy: string | null; document: { id: string } }[];
  progress: {
    status: string;
    change: number | null;
    towardTarget: number | null;
    timeElapsed: number | null;
    baseline: { period: string; value: number; basis: string } | null;
    target: { period: string; value: number } | null;
  };
}

/**
 * Targets and baselines an owning agency sets (validated, idempotent, kept as published
 * documents), and progress measured against them; and the indicator seed written over a database
 * seeded before it changed. On the embedded database and on PostgreSQL.
 */
for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`public-health targets, baselines and progress on ${database.name}`, () => {
    let subgraph: TestSubgraph<PrismaClient>;
    let serial = 0;
    const submission = () => ({ idempotencyKey: `progress-test-${process.pid}-${++serial}` });
    const progress = async () => {
      const { data, errors } = await subgraph.execute<{ _entities: ProgressResult[] }>(PROGRESS, {
        representations: [{ __typename: 'PublicHealthIndicator', id: DEATHS }],
      });
      expect(errors).toBeUndefined();
      return data!._entities[0]!;
    };
    const codeOf = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined) =>
      errors?.map((e) => e.extensions?.['code']);

    beforeAll(async () => {
      subgraph = await startTestSubgraph(publicHealth, { on: database.kind });
      await subgraph.prisma.source.create({
        data: {
          id: SOURCE,
          publisher: 'Test agency',
          title: 'A strategy document (test)',
          kind: 'SYNTHETIC',
        },
      });
    }, 180_000);
    afterAll(() => subgraph?.close());

    it('measures from the 2021 final count by default, and has no target until the owner sets one', async () => {
      const before = await progress();
      expect(before.baseline).toMatchObject({ period: '2021', value: 106699, basis: 'PLAN_FIRST_YEAR', note: null });
      expect(before.targets).toEqual([]);
      expect(before.progress).toMatchObject({ status: 'IMPROVING', change: 80391 - 106699, target: null });
    });

    it('takes a target, idempotently, and is on track or off track against the straight path to it', async () => {
      const input = {
        indicatorId: DEATHS,
        period: '2030',
        periodKind: 'CALENDAR_YEAR',
        value: 53000,
        setBy: 'Test agency',
        sourceId: SOURCE,
        note: 'A test target, not a published one.',
      };
      const first = submission();
      const set = await subgraph.execute(SET_TARGET, { input, submission: first });
      expect(set.errors).toBeUndefined();
      expect(set.data).toEqual({
        setPublicHealthIndicatorTarget: {
          period: '2030',
          periodKind: 'CALENDAR_YEAR',
          value: 53000,
          setBy: 'Test agency',
          document: { id: SOURCE },
          note: 'A test target, not a published one.',
        },
      });
      // The same call again, and the same target under another key: nothing more is stored.
      expect((await subgraph.execute(SET_TARGET, { input, submission: first })).errors).toBeUndefined();
      expect((await subgraph.execute(SET_TARGET, { input, submission: submission() })).errors).toBeUndefined();
      expect(await subgraph.prisma.target.count()).toBe(1);
      // Other data for the same indicator, period and document is a conflict, and stores nothing.
      const other = await subgraph.execute(SET_TARGET, { input: { ...input, value: 1 }, submission: submission() });
      expect(codeOf(other.errors)).toEqual(['CONFLICT']);
      expect(await subgraph.prisma.target.count()).toBe(1);

      const measured = await progress();
      expect(measured.targets).toEqual([
        expect.objectContaining({
          period: '2030',
          value: 53000,
          periodEnd: '2030-12-31',
          document: expect.any(Object),
        }),
      ]);
      // 2021 → 2030 is 9 years; 2024 is a third of the way in time. 106,699 → 53,000 is 53,699
      // deaths; 26,308 fewer is 49% of the way: ahead of the straight path.
      expect(measured.progress).toMatchObject({ status: 'ON_TRACK', target: { period: '2030', value: 53000 } });
      expect(measured.progress.towardTarget).toBeCloseTo(26308 / 53699, 6);
      expect(measured.progress.timeElapsed).toBeCloseTo(
        (Date.UTC(2024, 11, 31) - Date.UTC(2021, 11, 31)) / (Date.UTC(2030, 11, 31) - Date.UTC(2021, 11, 31)),
        6,
      );

      // A nearer, harder target from another document: behind its straight path.
      const harder = await subgraph.execute(SET_TARGET, {
        input: { ...input, period: '2025', value: 20000, note: null },
        submission: submission(),
      });
      expect(harder.errors).toBeUndefined();
      expect((await progress()).progress).toMatchObject({ status: 'OFF_TRACK', target: { period: '2025' } });
    });

    it('refuses a target in another kind of period than the headline, or for a source not registered', async () => {
      const base = {
        indicatorId: DEATHS,
        period: 'FY2030',
        periodKind: 'FISCAL_YEAR',
        value: 1,
        setBy: 'Test agency',
        sourceId: SOURCE,
      };
      const kind = await subgraph.execute(SET_TARGET, { input: base, submission: submission() });
      expect(codeOf(kind.errors)).toEqual(['BAD_USER_INPUT']);
      expect(kind.errors![0]!.message).toMatch(/CALENDAR_YEAR/);
      const source = await subgraph.execute(SET_TARGET, {
        input: { ...base, period: '2031', periodKind: 'CALENDAR_YEAR', sourceId: 'no-such-source' },
        submission: submission(),
      });
      expect(codeOf(source.errors)).toEqual(['BAD_USER_INPUT']);
      const label = await subgraph.execute(SET_TARGET, {
        input: { ...base, period: '20x1', periodKind: 'CALENDAR_YEAR' },
        submission: submission(),
      });
      expect(codeOf(label.errors)).toEqual(['BAD_USER_INPUT']);
      expect(await subgraph.prisma.target.count({ where: { period: { in: ['FY2030', '2031', '20x1'] } } })).toBe(0);
    });

    it('takes a baseline set by the owner in place of the default: the latest recorded counts', async () => {
      const input = {
        indicatorId: DEATHS,
        period: '2022',
        periodKind: 'CALENDAR_YEAR',
        value: 107941,
        sourceId: SOURCE,
        note: 'Measured from the first full year of the action plan (test).',
      };
      const set = await subgraph.execute(SET_BASELINE, { input, submission: submission() });
      expect(set.errors).toBeUndefined();
      expect(set.data).toEqual({
        setPublicHealthIndicatorBaseline: {
          period: '2022',
          value: 107941,
          basis: 'SET_BY_OWNER',
          note: 'Measured from the first full year of the action plan (test).',
          source: { id: SOURCE },
        },
      });
      const after = await progress();
      expect(after.baseline).toMatchObject({ period: '2022', value: 107941, basis: 'SET_BY_OWNER' });
      expect(after.progress.change).toBe(80391 - 107941);
      await subgraph.prisma.target.deleteMany();
      await subgraph.prisma.baseline.deleteMany();
      invalidateSnapshots(subgraph.prisma);
      expect((await progress()).baseline).toMatchObject({ period: '2021', basis: 'PLAN_FIRST_YEAR' });
    });

    it('writes the indicator seed over a database seeded before it changed, never touching stored values', async () => {
      const seed = readIndicatorSeed(SEED_FILE);
      const seeded = seed.observations.find((o) => o.indicatorId === DEATHS && o.period === '2022')!;
      // As an older seed would have left it: no direction rule or headline, a source without its
      // outlet date, one seeded value missing; and a value an agency revised.
      await subgraph.prisma.indicator.update({
        where: { id: DEATHS },
        data: { directionRuleEn: '', headlinePublisher: null, headlinePeriodKind: null, headlineRegion: null },
      });
      const withOutlet = seed.sources.find((s) => s.citedOn !== null)!;
      await subgraph.prisma.source.update({ where: { id: withOutlet.id }, data: { citedOn: null } });
      await subgraph.prisma.observation.deleteMany({
        where: { indicatorId: DEATHS, period: seeded.period, sourceId: seeded.sourceId, status: seeded.status },
      });
      const revised = seed.observations.find((o) => o.indicatorId === DEATHS && o.period === '2023')!;
      await subgraph.prisma.observation.updateMany({
        where: { indicatorId: DEATHS, period: revised.period, sourceId: revised.sourceId, status: revised.status },
        data: { value: revised.value + 1, recordedBy: 'agency@CDC' },
      });
      try {
        await publicHealth.seed(subgraph.prisma, silentLogger);
        const indicator = await subgraph.prisma.indicator.findUniqueOrThrow({ where: { id: DEATHS } });
        const declared = seed.indicators.find((i) => i.id === DEATHS)!;
        expect(indicator).toMatchObject({
          directionRuleEn: declared.directionRuleEn,
          headlinePublisher: declared.headlinePublisher,
          headlinePeriodKind: declared.headlinePeriodKind,
        });
        expect((await subgraph.prisma.source.findUniqueOrThrow({ where: { id: withOutlet.id } })).citedOn).toEqual(
          withOutlet.citedOn,
        );
        const restored = await subgraph.prisma.observation.findMany({
          where: { indicatorId: DEATHS, period: seeded.period, sourceId: seeded.sourceId, status: seeded.status },
        });
        expect(restored).toEqual([expect.objectContaining({ value: seeded.value, recordedBy: 'seed' })]);
        const kept = await subgraph.prisma.observation.findMany({
          where: { indicatorId: DEATHS, period: revised.period, sourceId: revised.sourceId, status: revised.status },
        });
        expect(kept).toEqual([expect.objectContaining({ value: revised.value + 1, recordedBy: 'agency@CDC' })]);
        // A second start writes nothing new.
        const count = await subgraph.prisma.observation.count();
        await publicHealth.seed(subgraph.prisma, silentLogger);
        expect(await subgraph.prisma.observation.count()).toBe(count);
      } finally {
        await subgraph.prisma.observation.updateMany({
          where: { indicatorId: DEATHS, period: revised.period, sourceId: revised.sourceId, status: revised.status },
          data: { value: revised.value, recordedBy: 'seed' },
        });
        invalidateSnapshots(subgraph.prisma);
      }
    });
  });
}

/** A target or a baseline, as the concurrency tests below set and read it. */
interface MeasureCase {
  name: 'target' | 'baseline';
  table: 'Target' | 'Baseline';
  /** The mutation, its result aliased `result`. */
  set: string;
  input(period: string, value: number): Record<string, unknown>;
  /** What the mutation answers for an input of `period` and `value` (fields that vary by row left out). */
  answer(period: string, value: number): Record<string, unknown>;
  /** Every stored row, by period and value. */
  stored(prisma: PrismaClient): Promise<{ period: string; value: number; recordedBy: string; recordedAt: Date }[]>;
}

const MEASURES: MeasureCase[] = [
  {
    name: 'target',
    table: 'Target',
    set: `#graphql
      mutation ($input: TargetInput!, $submission: SubmissionInput!) {
        result: setPublicHealthIndicatorTarget(input: $input, submission: $submission) {
          period periodKind value setBy note recordedBy recordedAt document { id }
        }
      }`,
    input: (period, value) => ({
      indicatorId: DEATHS,
      period,
      periodKind: 'CALENDAR_YEAR',
      value,
      setBy: 'Test agency',
      sourceId: SOURCE,
      note: null,
    }),
    answer: (period, value) => ({
      period,
      periodKind: 'CALENDAR_YEAR',
      value,
      setBy: 'Test agency',
      note: null,
      recordedBy: TEST_RECORDED_BY,
      document: { id: SOURCE },
    }),
    stored: (prisma) =>
      prisma.target.findMany({
        where: { indicatorId: DEATHS },
        select: { period: true, value: true, recordedBy: true, recordedAt: true },
        orderBy: [{ period: 'asc' }, { value: 'asc' }],
      }),
  },
  {
    name: 'baseline',
    table: 'Baseline',
    set: `#graphql
      mutation ($input: BaselineInput!, $submission: SubmissionInput!) {
        result: setPublicHealthIndicatorBaseline(input: $input, submission: $submission) {
          period periodKind value basis note source { id }
        }
      }`,
    input: (period, value) => ({
      indicatorId: DEATHS,
      period,
      periodKind: 'CALENDAR_YEAR',
      value,
      sourceId: SOURCE,
      note: null,
    }),
    answer: (period, value) => ({
      period,
      periodKind: 'CALENDAR_YEAR',
      value,
      basis: 'SET_BY_OWNER',
      note: null,
      source: { id: SOURCE },
    }),
    stored: (prisma) =>
      prisma.baseline.findMany({
        where: { indicatorId: DEATHS },
        select: { period: true, value: true, recordedBy: true, recordedAt: true },
        orderBy: [{ period: 'asc' }, { value: 'asc' }],
      }),
  },
];

type MeasureAnswer = {
  data?: { result: Record<string, unknown> } | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
};

/**
 * Targets and baselines set by many calls at once: the semantics README "Putting data in" states
 * for every write, and `setTarget`/`setBaseline` promise (targets.ts): concurrent calls with one
 * idempotency key write one row and all answer it; the same target under other keys is already
 * present; other data under the same indicator, period and document is a CONFLICT for all but
 * one, whose data is the one stored. On PostgreSQL the calls run on separate connections and are
 * made to meet (`holdInserts`: all past their checks, at the insert, before any commits); the
 * embedded database runs one transaction at a time, so there they queue, and the same answers
 * must come out of the order they queue in.
 */
for (const database of TEST_DATABASES) {
  describeOn(database.kind)(`public-health targets and baselines set concurrently on ${database.name}`, () => {
    const CALLS = 10;
    let subgraph: TestSubgraph<PrismaClient>;
    let serial = 0;
    const submission = () => ({ idempotencyKey: `progress-concurrent-${process.pid}-${++serial}` });
    const codeOf = (answer: MeasureAnswer) => answer.errors?.map((e) => e.extensions?.['code']);
    const measureKey = (period: string) => [DEATHS, period, SOURCE].join('|');
    const set = (c: MeasureCase, input: Record<string, unknown>, key: { idempotencyKey: string }) =>
      subgraph.execute<{ result: Record<string, unknown> }>(c.set, {
        input,
        submission: key,
      }) as Promise<MeasureAnswer>;
    /** The Submission rows of these keys: which calls' writes committed, and what each recorded. */
    const submissions = (keys: string[]) =>
      subgraph.prisma.submission.findMany({
        where: { idempotencyKey: { in: keys } },
        select: { idempotencyKey: true, resultId: true },
        orderBy: { idempotencyKey: 'asc' },
      });

    /**
     * Starts `CALLS` calls at once. On PostgreSQL, inserts into `table` are held until `waiting`
     * connections of the test database wait for a lock (at the held insert, or behind another
     * call's uncommitted idempotency key), `onTable` of them at the insert: only then does any call
     * go on, so all of them are under way before the first commits. A race that did not happen
     * fails the test instead of passing it.
     */
    const race = async (
      table: MeasureCase['table'],
      waiting: { total: number; onTable: number },
      call: (i: number) => Promise<MeasureAnswer>,
    ): Promise<MeasureAnswer[]> => {
      const held = await holdInserts(subgraph, table);
      const racing = together(CALLS, call);
      try {
        if (database.kind === 'postgres') {
          let blocked = 0;
          for (let polls = 0; polls < 120 && blocked < waiting.total; polls++) {
            const [row] = await subgraph.prisma.$queryRawUnsafe<{ n: number }[]>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            blocked = row!.n;
            if (blocked < waiting.total) await new Promise((resolve) => setTimeout(resolve, 25));
          }
          if (blocked < waiting.total) throw new Error(`only ${blocked} of ${waiting.total} calls waited together`);
        }
      } finally {
        await held.release(waiting.onTable);
      }
      return racing;
    };

    beforeAll(async () => {
      subgraph = await startTestSubgraph(publicHealth, { on: database.kind });
      await subgraph.prisma.source.create({
        data: { id: SOURCE, publisher: 'Test agency', title: 'A strategy document (test)', kind: 'SYNTHETIC' },
      });
    }, 180_000);
    afterEach(async () => {
      // Each test counts the whole table: none may see another's rows.
      await subgraph.prisma.target.deleteMany();
      await subgraph.prisma.baseline.deleteMany();
      invalidateSnapshots(subgraph.prisma);
    });
    afterAll(() => subgraph?.close());

    for (const c of MEASURES) {
      it(`one ${c.name} sent ${CALLS} times at once under one idempotency key: one row, and every call answers it`, async () => {
        const key = submission();
        // One call writes; the others wait behind its uncommitted key, then replay it.
        const answers = await race(c.table, { total: CALLS, onTable: 1 }, () => set(c, c.input('2031', 41000), key));
        expect(answers.map((a) => a.errors)).toEqual(Array.from({ length: CALLS }, () => undefined));
        const stored = await c.stored(subgraph.prisma);
        expect(stored).toEqual([
          { period: '2031', value: 41000, recordedBy: TEST_RECORDED_BY, recordedAt: expect.any(Date) },
        ]);
        // Every answer is the one stored row (for a target, down to when it was recorded).
        expect(new Set(answers.map((a) => JSON.stringify(a.data)))).toEqual(
          new Set([JSON.stringify(answers[0]!.data)]),
        );
        expect(answers[0]!.data!.result).toEqual({
          ...c.answer('2031', 41000),
          ...(c.name === 'target' ? { recordedAt: stored[0]!.recordedAt } : {}),
        });
        expect(await submissions([key.idempotencyKey])).toEqual([
          { idempotencyKey: key.idempotencyKey, resultId: measureKey('2031') },
        ]);
      }, 30_000);

      it(`one ${c.name} sent at once under ${CALLS} idempotency keys: one row, every call answered with it as already present`, async () => {
        const keys = Array.from({ length: CALLS }, submission);
        const answers = await race(c.table, { total: CALLS, onTable: CALLS }, (i) =>
          set(c, c.input('2032', 42000), keys[i]!),
        );
        expect(answers.map((a) => a.errors)).toEqual(Array.from({ length: CALLS }, () => undefined));
        const stored = await c.stored(subgraph.prisma);
        expect(stored).toEqual([
          { period: '2032', value: 42000, recordedBy: TEST_RECORDED_BY, recordedAt: expect.any(Date) },
        ]);
        expect(new Set(answers.map((a) => JSON.stringify(a.data)))).toEqual(
          new Set([JSON.stringify(answers[0]!.data)]),
        );
        expect(answers[0]!.data!.result).toEqual({
          ...c.answer('2032', 42000),
          ...(c.name === 'target' ? { recordedAt: stored[0]!.recordedAt } : {}),
        });
        // Written or already present, each call ended well and keeps its key for a replay.
        expect(await submissions(keys.map((k) => k.idempotencyKey))).toEqual(
          keys
            .map((k) => ({ idempotencyKey: k.idempotencyKey, resultId: measureKey('2032') }))
            .sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : 1)),
        );
      }, 30_000);

      it(`${CALLS} different values for one ${c.name} at once: one stored and answered, the others CONFLICT and store nothing`, async () => {
        const keys = Array.from({ length: CALLS }, submission);
        const value = (i: number) => 43000 + i;
        const answers = await race(c.table, { total: CALLS, onTable: CALLS }, (i) =>
          set(c, c.input('2033', value(i)), keys[i]!),
        );
        const won = answers.flatMap((a, i) => (a.errors === undefined ? [i] : []));
        expect(won).toHaveLength(1);
        const winner = won[0]!;
        // The losers are told why, with a code; none is told its data is stored.
        const lost = answers.filter((_a, i) => i !== winner);
        expect(lost.map(codeOf)).toEqual(Array.from({ length: CALLS - 1 }, () => ['CONFLICT']));
        for (const answer of lost) {
          expect(answer.data ?? null).toBeNull();
          expect(answer.errors![0]!.message).toMatch(/already exists with different data/);
        }
        // The one row stored is the winner's, and the winner was answered with it.
        const stored = await c.stored(subgraph.prisma);
        expect(stored).toEqual([
          { period: '2033', value: value(winner), recordedBy: TEST_RECORDED_BY, recordedAt: expect.any(Date) },
        ]);
        expect(answers[winner]!.data!.result).toMatchObject(c.answer('2033', value(winner)));
        // A refused write rolled back whole: its idempotency key stays unused, free for a retry.
        expect(await submissions(keys.map((k) => k.idempotencyKey))).toEqual([
          { idempotencyKey: keys[winner]!.idempotencyKey, resultId: measureKey('2033') },
        ]);
      }, 30_000);

      it(`${CALLS} ${c.name}s for different periods at once: every one stored once and answered with its own`, async () => {
        const period = (i: number) => String(2040 + i);
        const answers = await race(c.table, { total: CALLS, onTable: CALLS }, (i) =>
          set(c, c.input(period(i), 44000 + i), submission()),
        );
        expect(answers.map((a) => a.errors)).toEqual(Array.from({ length: CALLS }, () => undefined));
        answers.forEach((a, i) => expect(a.data!.result).toMatchObject(c.answer(period(i), 44000 + i)));
        expect((await c.stored(subgraph.prisma)).map(({ period, value }) => ({ period, value }))).toEqual(
          Array.from({ length: CALLS }, (_, i) => ({ period: period(i), value: 44000 + i })),
        );
      }, 30_000);
    }
  });
}

/**
 * On PostgreSQL: two replicas of a new release starting at the same moment over a database the
 * older release seeded. Each runs the seed at start (`syncIndicatorSeed`: sources, indicator
 * metadata, values not yet stored) under the migration's advisory lock, so they must take turns:
 * the second finds the first one's writes and adds nothing. The replicas run in this process,
 * each with its own pools (the advisory lock is a session's, and each start takes it on a
 * connection of its own), so to PostgreSQL they are two clients as two processes would be.
 */
describeOnPostgres()('public-health replicas starting together on PostgreSQL', () => {
  it('two replicas starting at once over a database seeded before the seed changed both start, write the new seed once, in turn, and leave stored values alone', async () => {
    const seed = readIndicatorSeed(SEED_FILE);
    const declared = seed.indicators.find((i) => i.id === DEATHS)!;
    const added = seed.observations.find((o) => o.indicatorId === DEATHS && o.period === '2022')!;
    const revised = seed.observations.find((o) => o.indicatorId === DEATHS && o.period === '2023')!;
    const whereOf = (o: typeof added) => ({
      indicatorId: DEATHS,
      period: o.period,
      regionCode: o.regionCode,
      sourceId: o.sourceId,
      status: o.status,
    });

    const previousSettings = configureWrites({});
    const throwaway = await createThrowawayDatabase();
    const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-progress-replicas-'));
    const keys = await createTestKeys();
    const replicas: RunningSubgraph<PrismaClient>[] = [];
    try {
      // A pool of one per replica, as the seeding suite's replica test: the seed must not wait
      // for the connection that holds the lock.
      const env = readSubgraphEnv(
        { port: 0, pgliteDir: join(scratch, 'unused') },
        {
          PROFILE: 'production' satisfies Profile,
          DATABASE_URL: throwaway.url,
          DB_POOL_SIZE: '1',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          GATEWAY_JWKS_PATH: keys.internalJwksPath,
        },
      );
      // Each seed run, as the runtime calls it (under the lock): when it starts and ends, and how
      // many values the table gained meanwhile (what this run added, when no other run overlaps).
      const runs: string[] = [];
      const program: SubgraphProgram<PrismaClient, Context> = {
        name: publicHealth.SUBGRAPH_NAME,
        env,
        migrationsDir: publicHealth.MIGRATIONS_DIR,
        createPrisma: (adapter) => publicHealth.createPrisma(adapter),
        seed: async (prisma, logger, options) => {
          runs.push('start');
          const before = await prisma.observation.count();
          await publicHealth.seed(prisma, logger, options);
          runs.push(`end, ${(await prisma.observation.count()) - before} new`);
        },
        createServer: (logger) => publicHealth.createServer(logger),
        createContext: (prisma, caller) => publicHealth.createContext(prisma, caller),
      };

      // The older release's start, and what its seed left: another direction rule, one value its
      // seed did not have yet; and a value an agency revised since.
      const older = await startSubgraph(program, silentLogger);
      let observations: number;
      try {
        observations = await older.prisma.observation.count();
        await older.prisma.indicator.update({
          where: { id: DEATHS },
          data: { directionRuleEn: 'An older rule (test).', directionRuleEs: 'Una regla anterior (prueba).' },
        });
        expect((await older.prisma.observation.deleteMany({ where: whereOf(added) })).count).toBe(1);
        expect(
          (
            await older.prisma.observation.updateMany({
              where: whereOf(revised),
              data: { value: revised.value + 1, recordedBy: 'agency@CDC' },
            })
          ).count,
        ).toBe(1);
      } finally {
        await older.stop();
      }
      runs.length = 0;

      const started = await Promise.allSettled([
        startSubgraph(program, silentLogger),
        startSubgraph(program, silentLogger),
      ]);
      for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
      expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual([
        'started',
        'started',
      ]);
      // One seed after the other, never both at once: the first adds the new value, the second
      // finds it there. (The data alone would not show overlapping seeds: Observation's unique
      // index keeps the value single and the metadata updates agree; the order does.)
      expect(runs).toEqual(['start', 'end, 1 new', 'start', 'end, 0 new']);

      const prisma = replicas[0]!.prisma;
      expect(await prisma.indicator.findUniqueOrThrow({ where: { id: DEATHS } })).toMatchObject({
        directionRuleEn: declared.directionRuleEn,
        directionRuleEs: declared.directionRuleEs,
      });
      expect(await prisma.observation.findMany({ where: whereOf(added) })).toEqual([
        expect.objectContaining({ value: added.value, recordedBy: 'seed' }),
      ]);
      expect(await prisma.observation.findMany({ where: whereOf(revised) })).toEqual([
        expect.objectContaining({ value: revised.value + 1, recordedBy: 'agency@CDC' }),
      ]);
      // Nothing else added or lost, and the seed history still says one production seed.
      expect(await prisma.observation.count()).toBe(observations);
      expect(await prisma.seedHistory.findMany({ select: { part: true, profile: true } })).toEqual([
        { part: 'reference', profile: 'production' },
      ]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
      configureWrites(previousSettings);
      await throwaway.drop();
      rmSync(scratch, { recursive: true, force: true });
      keys.remove();
    }
  }, 120_000);
});
