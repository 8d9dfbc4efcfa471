import { invalidateSnapshots, readIndicatorSeed } from '@bicentennial/subgraph-kit';
import { silentLogger } from '@bicentennial/service';
import { describeOn, startTestSubgraph, TEST_DATABASES, type TestSubgraph } from '@bicentennial/testing';
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
