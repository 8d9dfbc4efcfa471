import { sourceInput } from '../records/observations';
import { latestObservation, type ObservationRow } from '../indicators/observations';
import { periodBounds, type PeriodKind } from '../indicators/periods';

let n = 0;
function observation(
  period: string,
  periodKind: PeriodKind,
  value: number,
  extra: Partial<Pick<ObservationRow, 'status' | 'regionCode'>> & { publishedOn?: string } = {},
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
      publisher: 'Test',
      title: 'Test',
      url: null,
      kind: 'OFFICIAL',
      publishedOn: extra.publishedOn ? new Date(extra.publishedOn) : null,
      citedVia: null,
    },
  };
}

describe('latestObservation', () => {
  it('is null without values', () => {
    expect(latestObservation([])).toBeNull();
  });

  it('takes the period that ends last', () => {
    const rows = [
      observation('2022', 'CALENDAR_YEAR', 1),
      observation('2024-09/12M', 'TWELVE_MONTHS_ENDING', 2),
      observation('2023', 'CALENDAR_YEAR', 3),
    ];
    expect(latestObservation(rows)?.value).toBe(2);
  });

  it('prefers a single year to a multi-year total ending the same day', () => {
    expect(
      latestObservation([observation('2018/2023', 'MULTI_YEAR', 1), observation('2023', 'CALENDAR_YEAR', 2)])?.value,
    ).toBe(2);
  });

  it('prefers a final value to a provisional one for the same period', () => {
    const rows = [
      observation('2023', 'CALENDAR_YEAR', 1, { status: 'FINAL' }),
      observation('2023', 'CALENDAR_YEAR', 2, { status: 'PROVISIONAL' }),
    ];
    expect(latestObservation(rows)?.value).toBe(1);
  });

  it('prefers the more recent publication among equals', () => {
    const rows = [
      observation('2023', 'CALENDAR_YEAR', 1, { status: 'PROVISIONAL', publishedOn: '2024-01-10' }),
      observation('2023', 'CALENDAR_YEAR', 2, { status: 'PROVISIONAL', publishedOn: '2025-01-10' }),
    ];
    expect(latestObservation(rows)?.value).toBe(2);
  });

  it('uses national values when there are any, state values otherwise', () => {
    expect(
      latestObservation([
        observation('2021', 'CALENDAR_YEAR', 1, { regionCode: 'MX' }),
        observation('2024', 'CALENDAR_YEAR', 2, { regionCode: 'MX-COL' }),
      ])?.value,
    ).toBe(1);
    expect(latestObservation([observation('2024', 'CALENDAR_YEAR', 2, { regionCode: 'MX-COL' })])?.value).toBe(2);
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
