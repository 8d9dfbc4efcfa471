import { invalidateSnapshots } from '@bicentennial/subgraph-kit';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { post } from '../operations';

/**
 * Progress for dashboards, through the real gateway: headline series (one value per period),
 * revisions, baselines, progress by the owner's direction, coverage, and the counts per
 * objective, area and goal that framework adds up from each owner's part. Figures are the seeded
 * public figures (../shared/reference/public-figures.md).
 */
describe('progress for dashboards', () => {
  let graph: InProcessGraph;
  let usStaff: string;

  interface Point {
    period: string;
    periodKind: string;
    value: number;
    status: string;
    overlapsOtherWindow: boolean;
    source: { id: string; publisher: string };
  }
  interface IndicatorProgress {
    id: string;
    direction: string;
    directionRule: string;
    headline: { publisher: string; periodKind: string; country: string; regionCode: string | null } | null;
    series: Point[];
    latest: Point | null;
    baseline: { period: string; value: number; basis: string; source: { id: string } } | null;
    progress: {
      status: string;
      change: number | null;
      changePercent: number | null;
      trend: { periods: number; direction: string } | null;
    };
    coverage: { hasData: boolean; reason: string | null; note: string | null };
  }
  const POINT = 'period periodKind value status overlapsOtherWindow source { id publisher }';
  const INDICATOR = `#graphql
    query Indicator($id: ID!, $period: String!, $lang: Language) {
      indicator(id: $id) {
        id direction directionRule(lang: $lang)
        headline { publisher periodKind country regionCode }
        series { ${POINT} }
        latest { ${POINT} }
        observations { ${POINT} }
        revisions(period: $period) { ${POINT} }
        baseline { period value basis source { id } }
        progress { status change changePercent trend { periods direction } }
        coverage { hasData reason note }
        partOf { id }
        parts { id }
      }
    }`;
  const indicator = async (id: string, period = '2024', token?: string, lang?: string) => {
    const { status, body } = await post<{
      indicator: IndicatorProgress & { observations: Point[]; revisions: Point[]; partOf: { id: string } | null };
    }>(graph.gatewayUrl, INDICATOR, { id, period, lang }, { token });
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    return body.data!.indicator;
  };

  interface Summary {
    indicators: number;
    withData: number;
    byStatus: { status: string; count: number }[];
    byCoverage: { reason: string; count: number }[];
  }
  const SUMMARY = 'indicators withData byStatus { status count } byCoverage { reason count }';
  const LEVELS = `#graphql
    query Levels {
      goals {
        id progress { ${SUMMARY} }
        areas {
          id progress { ${SUMMARY} }
          objectives {
            id progress { ${SUMMARY} }
            indicators { id progress { status } coverage { hasData reason } }
          }
        }
      }
    }`;
  interface LevelsData {
    goals: {
      id: string;
      progress: Summary;
      areas: {
        id: string;
        progress: Summary;
        objectives: {
          id: string;
          progress: Summary;
          indicators: {
            id: string;
            progress: { status: string };
            coverage: { hasData: boolean; reason: string | null };
          }[];
        }[];
      }[];
    }[];
  }
  const levels = async (token?: string) => {
    const { status, body } = await post<LevelsData>(graph.gatewayUrl, LEVELS, undefined, { token });
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    return body.data!;
  };

  beforeAll(async () => {
    graph = await startInProcessGraph({ gatewayEnv: { RESPONSE_CACHE: 'off', RESPONSE_CACHE_DEDUPE: 'off' } });
    usStaff = await graph.token({ subject: 'reader', agency: 'CBP', country: 'US', scopes: [] });
  }, 180_000);
  afterAll(async () => {
    await graph?.stop();
  });

  it('draws U.S. overdose deaths as one value per calendar year: finals, then the 2024 provisional count', async () => {
    const deaths = await indicator('1.1.1/us-overdose-deaths', '2023');
    expect(deaths.headline).toMatchObject({ periodKind: 'CALENDAR_YEAR', country: 'US', regionCode: null });
    expect(deaths.series.map((p) => [p.period, p.value, p.status])).toEqual([
      ['2021', 106699, 'FINAL'],
      ['2022', 107941, 'FINAL'],
      ['2023', 105007, 'FINAL'],
      ['2024', 80391, 'PROVISIONAL'],
    ]);
    expect(new Set(deaths.series.map((p) => p.periodKind))).toEqual(new Set(['CALENDAR_YEAR']));
    // The 12-month provisional counts are still there, by filter; 2023's vintages are its revisions.
    expect(deaths.observations.some((p) => p.periodKind === 'TWELVE_MONTHS_ENDING')).toBe(true);
    expect(deaths.revisions.map((p) => [p.value, p.status])).toEqual([
      [110037, 'PROVISIONAL'],
      [105007, 'FINAL'],
    ]);
    // Baseline: the 2021 final count; lower is better, so the fall is progress.
    expect(deaths.baseline).toMatchObject({ period: '2021', value: 106699, basis: 'PLAN_FIRST_YEAR' });
    expect(deaths.direction).toBe('LOWER_IS_BETTER');
    expect(deaths.progress).toMatchObject({ status: 'IMPROVING', change: 80391 - 106699 });
    expect(deaths.progress.changePercent).toBeCloseTo(((80391 - 106699) / 106699) * 100, 6);
    expect(deaths.progress.trend).toEqual({ periods: 3, direction: 'FALLING' });
  });

  it("draws Mexico's homicides from INEGI alone, and its latest 2024 value is the later release", async () => {
    const homicides = await indicator('1.3.1/mx-homicides');
    expect(homicides.headline).toMatchObject({ periodKind: 'CALENDAR_YEAR', country: 'MX', regionCode: null });
    const publishers = new Set(homicides.series.map((p) => p.source.publisher));
    expect(publishers.size).toBe(1);
    expect([...publishers][0]).toMatch(/INEGI|Instituto Nacional de Estad/);
    expect(homicides.series.map((p) => p.period)).toEqual(['2018', '2019', '2020', '2021', '2022', '2023', '2024']);
    expect(homicides.series.find((p) => p.period === '2023')).toMatchObject({ value: 32252, status: 'FINAL' });
    expect(homicides.latest).toMatchObject({ period: '2024', value: 33550 });
    expect(homicides.revisions.map((p) => p.value)).toEqual([33241, 33550]);
    // Every value of one source, by filter.
    const { body } = await post<{ indicator: { observations: Point[] } }>(
      graph.gatewayUrl,
      `#graphql
      query { indicator(id: "1.3.1/mx-homicides") { observations(sourceId: "inegi-edr-homicidios-2024-preliminar") { ${POINT} } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.indicator.observations.map((p) => p.source.id)).toEqual(
      expect.arrayContaining(['inegi-edr-homicidios-2024-preliminar']),
    );
    expect(new Set(body.data!.indicator.observations.map((p) => p.source.id))).toEqual(
      new Set(['inegi-edr-homicidios-2024-preliminar']),
    );
    // SESNSP's counts, half-years and states stay reachable.
    expect(homicides.observations.some((p) => !publishers.has(p.source.publisher))).toBe(true);
    expect(homicides.observations.some((p) => p.periodKind === 'HALF_YEAR')).toBe(true);
  });

  it('labels overlapping multi-year windows, and nothing else', async () => {
    const traced = await indicator('2.2.1/mx-firearms-traced', '2024');
    const overlapping = traced.observations.filter((p) => p.overlapsOtherWindow).map((p) => p.period);
    expect(overlapping).toEqual(expect.arrayContaining(['2017/2022', '2018/2023']));
    expect(overlapping).not.toContain('2007/2011');
    expect(
      traced.observations.filter((p) => p.periodKind === 'CALENDAR_YEAR').every((p) => !p.overlapsOtherWindow),
    ).toBe(true);
  });

  it('states each direction rule in both languages, and the two U.S.-origin firearms indicators agree', async () => {
    const recovered = await indicator('2.2.1/mx-us-sourced-firearms');
    const seized = await indicator('2.2.1/sedena-seized-firearms-us-origin', '2024', undefined, 'ES');
    expect(recovered.directionRule.length).toBeGreaterThan(20);
    expect(seized.directionRule).not.toEqual((await indicator('2.2.1/sedena-seized-firearms-us-origin')).directionRule);
    // Guns recovered in crimes and traced to the U.S. measure trafficking; SEDENA's seizures, interdiction.
    expect(recovered.direction).toBe('LOWER_IS_BETTER');
    expect(seized.direction).toBe('HIGHER_IS_BETTER');
  });

  it('says why an indicator has no value, and tells "not releasable to you" from "none"', async () => {
    const empty = await indicator('1.2.2/mx-disappeared-persons');
    expect(empty.series).toEqual([]);
    expect(empty.progress.status).toBe('NO_DATA');
    expect(empty.coverage.hasData).toBe(false);
    expect(['NO_PUBLISHED_FIGURE', 'NOT_YET_SUBMITTED']).toContain(empty.coverage.reason);
    expect(empty.coverage.note).toEqual(expect.any(String));

    // A value only U.S. agencies may see: the public is told it exists but is not releasable.
    const { prisma } = graph.handles.publicHealth;
    const source = await prisma.source.findFirstOrThrow({ where: { kind: 'OFFICIAL' } });
    await prisma.observation.create({
      data: {
        indicatorId: '1.2.2/mx-disappeared-persons',
        period: '1899',
        periodKind: 'CALENDAR_YEAR',
        periodStart: new Date('1899-01-01'),
        periodEnd: new Date('1899-12-31'),
        value: 1,
        regionCode: 'MX',
        status: 'FINAL',
        sourceId: source.id,
        releasableTo: 'US',
        recordedBy: 'progress-test',
      },
    });
    invalidateSnapshots(prisma);
    try {
      expect((await indicator('1.2.2/mx-disappeared-persons')).coverage).toMatchObject({
        hasData: false,
        reason: 'NOT_RELEASABLE',
      });
      expect((await indicator('1.2.2/mx-disappeared-persons', '2024', usStaff)).coverage).toEqual({
        hasData: true,
        reason: null,
        note: null,
      });
      const objective = (await levels()).goals[0]!.areas[1]!.objectives.find((o) => o.id === '1.2.2')!;
      expect(objective.progress.byCoverage.find((c) => c.reason === 'NOT_RELEASABLE')?.count).toBe(1);
    } finally {
      await prisma.observation.deleteMany({ where: { recordedBy: 'progress-test' } });
      invalidateSnapshots(prisma);
    }
  });

  it('counts indicators by status and coverage per objective, area and goal, adding up across owners', async () => {
    const data = await levels();
    const counts = (summary: Summary) => Object.fromEntries(summary.byStatus.map((s) => [s.status, s.count]));
    let allIndicators = 0;
    for (const goal of data.goals) {
      const objectives = goal.areas.flatMap((a) => a.objectives);
      const indicators = objectives.flatMap((o) => o.indicators);
      allIndicators += indicators.length;
      // Goal 1 spans two owners (public health, and extradition's 1.3.2): framework adds their parts.
      expect({ goal: goal.id, indicators: goal.progress.indicators }).toEqual({
        goal: goal.id,
        indicators: indicators.length,
      });
      expect(goal.progress.withData).toBe(indicators.filter((i) => i.coverage.hasData).length);
      const byStatus = new Map<string, number>();
      for (const i of indicators) byStatus.set(i.progress.status, (byStatus.get(i.progress.status) ?? 0) + 1);
      for (const [status, count] of Object.entries(counts(goal.progress))) {
        expect({ goal: goal.id, status, count }).toEqual({ goal: goal.id, status, count: byStatus.get(status) ?? 0 });
      }
      for (const area of goal.areas) {
        expect(area.progress.indicators).toBe(area.objectives.reduce((n, o) => n + o.indicators.length, 0));
        for (const objective of area.objectives) {
          expect(objective.progress.indicators).toBe(objective.indicators.length);
          expect(objective.progress.withData).toBe(objective.indicators.filter((i) => i.coverage.hasData).length);
          const noValue = objective.progress.byCoverage.reduce((n, c) => n + c.count, 0);
          expect(noValue).toBe(objective.indicators.length - objective.progress.withData);
        }
      }
    }
    expect(data.goals.reduce((n, g) => n + g.progress.indicators, 0)).toBe(allIndicators);
    // Every status and every reason is listed, zeros included.
    expect(data.goals[0]!.progress.byStatus.map((s) => s.status)).toEqual([
      'IMPROVING',
      'WORSENING',
      'NO_CHANGE',
      'ON_TRACK',
      'OFF_TRACK',
      'NO_DATA_SINCE_BASELINE',
      'NO_BASELINE',
      'NO_DATA',
    ]);
    expect(data.goals[0]!.progress.byCoverage.map((c) => c.reason)).toEqual([
      'NO_PUBLISHED_FIGURE',
      'NOT_YET_SUBMITTED',
      'NOT_RELEASABLE',
    ]);
  });

  it("counts from the owners' snapshots: no SQL once the values are in memory", async () => {
    const before = new Map([...graph.statements].map(([name, c]) => [name, c.count]));
    await levels();
    // The values are in memory: counting them takes no SQL in any owner.
    for (const [name, counter] of graph.statements) {
      if (name === 'audit') continue;
      expect({ name, statements: counter.count - (before.get(name) ?? 0) }).toEqual({ name, statements: 0 });
    }
  });
});
