import type { IndicatorRow, ObservationRow } from './observations';

/**
 * When a value became known: its source's publication date, else the date an outlet reported it
 * (`citedOn`: the publication was out by then), else never dated (ordered first).
 */
export function vintageTime(row: ObservationRow): number {
  return row.source.publishedOn?.getTime() ?? row.source.citedOn?.getTime() ?? Number.NEGATIVE_INFINITY;
}

/** Whether a value belongs to the indicator's headline series: its source family, period kind and region. */
export function inHeadline(indicator: IndicatorRow, row: ObservationRow): boolean {
  return (
    indicator.headlinePublisher !== null &&
    row.source.publisher === indicator.headlinePublisher &&
    row.periodKind === indicator.headlinePeriodKind &&
    row.regionCode === indicator.headlineRegion
  );
}

/**
 * Vintage order within one period: provisional before final, then by when each became known,
 * then by source id (a stable order for undated sources). The last is the one the headline shows.
 */
export function compareVintages(a: ObservationRow, b: ObservationRow): number {
  return (
    (a.status === 'FINAL' ? 1 : 0) - (b.status === 'FINAL' ? 1 : 0) ||
    vintageTime(a) - vintageTime(b) ||
    a.source.id.localeCompare(b.source.id)
  );
}

/**
 * The headline series: of the values in the indicator's headline family (`inHeadline`), exactly
 * one per period, oldest period first: the final value where there is one, else the latest
 * provisional by publication date (`compareVintages`). One period kind only, so it can be drawn
 * as a line. Empty when the indicator declares no headline or has no value in it.
 */
export function headlineSeries(indicator: IndicatorRow, rows: readonly ObservationRow[]): ObservationRow[] {
  const byPeriod = new Map<string, ObservationRow>();
  for (const row of rows) {
    if (!inHeadline(indicator, row)) continue;
    const current = byPeriod.get(row.period);
    if (!current || compareVintages(row, current) > 0) byPeriod.set(row.period, row);
  }
  return [...byPeriod.values()].sort((a, b) => a.periodStart.getTime() - b.periodStart.getTime());
}

/** Every vintage of one headline period, in `compareVintages` order (the headline's value last). */
export function revisionsOf(
  indicator: IndicatorRow,
  rows: readonly ObservationRow[],
  period: string,
): ObservationRow[] {
  return rows.filter((row) => row.period === period && inHeadline(indicator, row)).sort(compareVintages);
}

/** Period kinds whose values are windows that can overlap without one containing the other. */
const WINDOW_KINDS = new Set(['MULTI_YEAR', 'DATE_RANGE', 'TWELVE_MONTHS_ENDING']);

/**
 * Whether `row` is a window (multi-year total, date range, rolling 12 months) that overlaps
 * another value's window of the same indicator, region and kind without being the same period:
 * 2017/2022 and 2018/2023 share five years, so the two values are neither additive nor
 * successive points of one line.
 */
export function overlapsOtherWindow(row: ObservationRow, rows: readonly ObservationRow[]): boolean {
  if (!WINDOW_KINDS.has(row.periodKind)) return false;
  return rows.some(
    (other) =>
      other.period !== row.period &&
      other.periodKind === row.periodKind &&
      other.regionCode === row.regionCode &&
      other.periodStart <= row.periodEnd &&
      row.periodStart <= other.periodEnd,
  );
}
