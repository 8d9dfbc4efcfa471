import { sourceInput } from '../records/observations';
import { headlineSeries, overlapsOtherWindow, revisionsOf } from '../indicators/headline';
import type { IndicatorRow, ObservationRow } from '../indicators/observations';
import { planFirstYearBaseline, progressOf } from '../indicators/progress';
import { periodBounds, type PeriodKind } from '../indicators/periods';

let n = 0;
function observation(
  period: string,
  periodKind: PeriodKind,
  value: number,
  extra: Partial<Pick<ObservationRow, 'status' | 'regionCode'>> & {
    publishedOn?: string;
    citedOn?: string;
    publisher?: string;
  } = {},
): ObservationRow {
  const bounds = periodBounds(periodKind, period)!;
  n += 1;
  return {
    id: String(n),
    indicatorId: '1.1.1/test',
    period,
    periodKind,
    periodStart: bounds.start,
    periodEnd: bounds.end,
    value,
    qualifier: 'EXACT',
    regionCode: extra.regionCode ?? 'US',
    status: extra.status ?? 'FINAL',
    note: null,
    releasableTo: 'BOTH',
    recordedBy: 'test',
    recordedAt: new Date(),
    source: {
      id: `source-${n}`,
      publisher: extra.publisher ?? 'Test',
      title: 'Test',
      url: null,
      kind: 'OFFICIAL',
      publishedOn: extra.publishedOn ? new Date(extra.publishedOn) : null,
      citedVia: extra.citedOn ? 'An outlet' : null,
      citedOn: extra.citedOn ? new Date(extra.citedOn) : null,
    },
  };
}

const indicator = (overrides: Partial<IndicatorRow> = {}): IndicatorRow => ({
  id: '1.1.1/test',
  objectiveId: '1.1.1',
  direction: 'LOWER_IS_BETTER',
  directionRuleEn: 'Fewer is better.',
  directionRuleEs: 'Menos es mejor.',
  headlinePublisher: 'Test',
  headlinePeriodKind: 'CALENDAR_YEAR',
  headlineRegion: 'US',
  headlineDescriptionEn: 'Test counts per calendar year',
  headlineDescriptionEs: 'Conteos de prueba por año calendario',
  coverageReason: null,
  coverageNote: null,
  ...overrides,
});

describe('headlineSeries', () => {
  it('keeps one value per period of the headline family, kind and region, oldest first', () => {
    const rows = [
      observation('2023', 'CALENDAR_YEAR', 3),
      observation('2021', 'CALENDAR_YEAR', 1),
      observation('2022-12/12M', 'TWELVE_MONTHS_ENDING', 99),
      observation('2022', 'CALENDAR_YEAR', 98, { publisher: 'Other' }),
      observation('2022', 'CALENDAR_YEAR', 97, { regionCode: 'US-TX' }),
      observation('2022', 'CALENDAR_YEAR', 2),
    ];
    expect(headlineSeries(indicator(), rows).map((r) => [r.period, r.value])).toEqual([
      ['2021', 1],
      ['2022', 2],
      ['2023', 3],
    ]);
  });

  it('takes the final value of a period over any provisional one, even a later one', () => {
    const rows = [
      observation('2023', 'CALENDAR_YEAR', 110037, { status: 'PROVISIONAL', publishedOn: '2025-05-14' }),
      observation('2023', 'CALENDAR_YEAR', 105007, { status: 'FINAL', publishedOn: '2024-12-01' }),
    ];
    expect(headlineSeries(indicator(), rows).map((r) => r.value)).toEqual([105007]);
  });

  it('takes the latest provisional value by publication date, else by the date an outlet reported it', () => {
    const rows = [
      observation('2024', 'CALENDAR_YEAR', 33550, { status: 'PROVISIONAL', citedOn: '2025-11-10' }),
      observation('2024', 'CALENDAR_YEAR', 33241, { status: 'PROVISIONAL', publishedOn: '2025-08-01' }),
    ];
    expect(headlineSeries(indicator(), rows).map((r) => r.value)).toEqual([33550]);
    expect(revisionsOf(indicator(), rows, '2024').map((r) => r.value)).toEqual([33241, 33550]);
  });

  it('is empty for an indicator that declares no headline', () => {
    expect(headlineSeries(indicator({ headlinePublisher: null }), [observation('2021', 'CALENDAR_YEAR', 1)])).toEqual(
      [],
    );
  });
});

describe('overlapsOtherWindow', () => {
  it('marks windows that share years with another window of the kind and region, and nothing else', () => {
    const a = observation('2017/2022', 'MULTI_YEAR', 1);
    const b = observation('2018/2023', 'MULTI_YEAR', 2);
    const c = observation('2007/2011', 'MULTI_YEAR', 3);
    const year = observation('2022', 'CALENDAR_YEAR', 4);
    const rows = [a, b, c, year];
    expect(rows.map((r) => overlapsOtherWindow(r, rows))).toEqual([true, true, false, false]);
  });
});

describe('progressOf', () => {
  const series = (...values: [string, number][]) => values.map(([p, v]) => observation(p, 'CALENDAR_YEAR', v));

  it('measures from the 2021 headline value by default, direction-aware', () => {
    const falling = series(['2020', 120], ['2021', 100], ['2022', 95], ['2023', 80]);
    const baseline = planFirstYearBaseline(falling);
    expect(baseline).toMatchObject({ period: '2021', value: 100, basis: 'PLAN_FIRST_YEAR' });
    const lower = progressOf('LOWER_IS_BETTER', falling, baseline);
    expect(lower).toMatchObject({ status: 'IMPROVING', change: -20, changePercent: -20 });
    expect(lower.trend).toMatchObject({ periods: 3, change: -20, direction: 'FALLING' });
    expect(progressOf('HIGHER_IS_BETTER', falling, baseline).status).toBe('WORSENING');
  });

  it('takes the latest period ending in 2021 for a fiscal-year or rolling series', () => {
    const fiscal = ['FY2020', 'FY2021', 'FY2022'].map((p, i) => observation(p, 'FISCAL_YEAR', i));
    expect(planFirstYearBaseline(fiscal)?.period).toBe('FY2021');
    expect(planFirstYearBaseline(series(['2019', 1], ['2022', 2]))).toBeNull();
  });

  it('calls a change under 1% of the baseline no change', () => {
    const flat = series(['2021', 1000], ['2024', 1009]);
    expect(progressOf('LOWER_IS_BETTER', flat, planFirstYearBaseline(flat)).status).toBe('NO_CHANGE');
  });

  it('says when there is no data, no baseline, or nothing after the baseline', () => {
    expect(progressOf('LOWER_IS_BETTER', [], null).status).toBe('NO_DATA');
    expect(progressOf('LOWER_IS_BETTER', series(['2022', 1]), null).status).toBe('NO_BASELINE');
    const only = series(['2020', 5], ['2021', 4]);
    expect(progressOf('LOWER_IS_BETTER', only, planFirstYearBaseline(only))).toMatchObject({
      status: 'NO_DATA_SINCE_BASELINE',
      change: null,
    });
  });

  it('is on track against a target when ahead of the straight path, off track when behind', () => {
    const values = series(['2021', 100], ['2023', 80]);
    const baseline = planFirstYearBaseline(values);
    const target = { period: '2025', periodEnd: new Date('2025-12-31'), value: 60 };
    // Half the time (2021 → 2025, at the end of 2023), half the way (100 → 80 of 100 → 60).
    const onPath = progressOf('LOWER_IS_BETTER', values, baseline, [target]);
    expect(onPath).toMatchObject({ status: 'ON_TRACK', towardTarget: 0.5 });
    expect(onPath.timeElapsed).toBeCloseTo(0.5, 2);
    const behind = progressOf('LOWER_IS_BETTER', series(['2021', 100], ['2023', 90]), baseline, [target]);
    expect(behind.status).toBe('OFF_TRACK');
  });
});

describe('a source to register', () => {
  const source = (publishedOn: string) => ({
    id: 'cbp-test-source',
    publisher: 'CBP',
    title: 'A report',
    kind: 'OFFICIAL',
    publishedOn,
  });

  it('takes a publication day that exists, and refuses one that does not before it reaches the database', () => {
    expect(sourceInput.safeParse(source('2024-02-29')).success).toBe(true);
    for (const day of ['2025-02-30', '2025-13-01', '2025-00-10']) {
      const parsed = sourceInput.safeParse(source(day));
      expect({ day, issues: parsed.error?.issues.map((i) => [i.path.join('.'), i.message]) }).toEqual({
        day,
        issues: [['publishedOn', 'must be a day that exists']],
      });
    }
  });
});
