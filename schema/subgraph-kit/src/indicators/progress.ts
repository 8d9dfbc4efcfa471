import type { IndicatorDirection, ProgressStatus } from './model';
import type { ObservationRow, SourceRow } from './observations';
import type { PeriodKind } from './periods';

/** The action plan's first year: the default baseline is the headline value for it. */
export const PLAN_FIRST_YEAR = 2021;
/** A change smaller than this share of the baseline (in percent) is NO_CHANGE. */
export const NO_CHANGE_PERCENT = 1;
/** How many of the last headline periods the trend spans. */
export const TREND_PERIODS = 3;

export type BaselineBasis = 'PLAN_FIRST_YEAR' | 'SET_BY_OWNER';

/** The value progress is measured from. */
export interface BaselineValue {
  period: string;
  periodKind: PeriodKind;
  periodEnd: Date;
  value: number;
  source: SourceRow;
  basis: BaselineBasis;
  /** The headline value it is, when it is one. */
  observation: ObservationRow | null;
  /** The owner's note on a baseline it set. */
  note: string | null;
}

/** A value the owner aims at for a period, set by a published document. */
export interface TargetLike {
  period: string;
  periodEnd: Date;
  value: number;
}

export interface TrendValue {
  from: ObservationRow;
  to: ObservationRow;
  periods: number;
  change: number;
  changePercent: number | null;
  direction: 'RISING' | 'FALLING' | 'FLAT';
}

export interface ProgressValue<T extends TargetLike = TargetLike> {
  status: ProgressStatus;
  baseline: BaselineValue | null;
  latest: ObservationRow | null;
  change: number | null;
  changePercent: number | null;
  /** The target measured against (the first not yet past, else the last), when there is one. */
  target: T | null;
  /** Share of the way from the baseline to the target covered by the latest value (1 = reached). */
  towardTarget: number | null;
  /** Share of the time from the baseline to the target that has passed at the latest value. */
  timeElapsed: number | null;
  trend: TrendValue | null;
}

/**
 * The default baseline: the headline value of the latest period that ends in the plan's first
 * year (calendar year 2021, FY2021, the 12 months ending December 2021, …); null when the headline
 * series has none.
 */
export function planFirstYearBaseline(series: readonly ObservationRow[]): BaselineValue | null {
  let chosen: ObservationRow | null = null;
  for (const row of series) {
    if (row.periodEnd.getUTCFullYear() === PLAN_FIRST_YEAR && (!chosen || row.periodEnd >= chosen.periodEnd)) {
      chosen = row;
    }
  }
  if (!chosen) return null;
  return {
    period: chosen.period,
    periodKind: chosen.periodKind,
    periodEnd: chosen.periodEnd,
    value: chosen.value,
    source: chosen.source,
    basis: 'PLAN_FIRST_YEAR',
    observation: chosen,
    note: null,
  };
}

const percent = (change: number, from: number) => (from === 0 ? null : (change / Math.abs(from)) * 100);

/** The trend over the last `TREND_PERIODS` headline periods; null with fewer than two. */
export function trendOf(series: readonly ObservationRow[]): TrendValue | null {
  if (series.length < 2) return null;
  const last = series.slice(-TREND_PERIODS);
  const from = last[0]!;
  const to = last[last.length - 1]!;
  const change = to.value - from.value;
  const changePercent = percent(change, from.value);
  const flat = changePercent === null ? change === 0 : Math.abs(changePercent) < NO_CHANGE_PERCENT;
  return {
    from,
    to,
    periods: last.length,
    change,
    changePercent,
    direction: flat ? 'FLAT' : change > 0 ? 'RISING' : 'FALLING',
  };
}

/**
 * ProgressValue of an indicator from its headline series (oldest first), its baseline, its direction
 * and its targets. The rules, in order:
 * - NO_DATA: the headline series is empty (for this caller).
 * - NO_BASELINE: there are values but no baseline.
 * - NO_DATA_SINCE_BASELINE: no headline value ends after the baseline's period.
 * - With a target: ON_TRACK when the latest value has covered at least the share of the way from
 *   the baseline to the target that the share of time elapsed calls for (a straight path), or
 *   has reached it; OFF_TRACK otherwise. The target is the first whose period ends at or after
 *   the latest value's, else the last.
 * - Without a target: NO_CHANGE when the change from the baseline is under `NO_CHANGE_PERCENT`
 *   of the baseline; else IMPROVING when it goes the indicator's way (down where lower is
 *   better), WORSENING when not.
 */
export function progressOf<T extends TargetLike>(
  direction: IndicatorDirection,
  series: readonly ObservationRow[],
  baseline: BaselineValue | null,
  targets: readonly T[] = [],
): ProgressValue<T> {
  const latest = series.length > 0 ? series[series.length - 1]! : null;
  const trend = trendOf(series);
  const empty = { change: null, changePercent: null, target: null, towardTarget: null, timeElapsed: null };
  if (!latest) return { status: 'NO_DATA', baseline, latest, trend, ...empty };
  if (!baseline) return { status: 'NO_BASELINE', baseline, latest, trend, ...empty };
  if (latest.periodEnd <= baseline.periodEnd) {
    return { status: 'NO_DATA_SINCE_BASELINE', baseline, latest, trend, ...empty };
  }
  const change = latest.value - baseline.value;
  const changePercent = percent(change, baseline.value);
  const sign = direction === 'LOWER_IS_BETTER' ? -1 : 1;
  const future = [...targets]
    .filter((t) => t.periodEnd > baseline.periodEnd)
    .sort((a, b) => a.periodEnd.getTime() - b.periodEnd.getTime());
  const target = future.find((t) => t.periodEnd >= latest.periodEnd) ?? future[future.length - 1] ?? null;
  if (target) {
    const distance = target.value - baseline.value;
    const towardTarget = distance === 0 ? (sign * change >= 0 ? 1 : 0) : change / distance;
    const span = target.periodEnd.getTime() - baseline.periodEnd.getTime();
    const timeElapsed = Math.min(1, (latest.periodEnd.getTime() - baseline.periodEnd.getTime()) / span);
    const onTrack = towardTarget >= 1 || towardTarget >= timeElapsed;
    return {
      status: onTrack ? 'ON_TRACK' : 'OFF_TRACK',
      baseline,
      latest,
      change,
      changePercent,
      target,
      towardTarget,
      timeElapsed,
      trend,
    };
  }
  const unchanged: boolean = changePercent === null ? change === 0 : Math.abs(changePercent) < NO_CHANGE_PERCENT;
  const status: ProgressStatus = unchanged ? 'NO_CHANGE' : sign * change > 0 ? 'IMPROVING' : 'WORSENING';
  return {
    status,
    baseline,
    latest,
    change,
    changePercent,
    target: null,
    towardTarget: null,
    timeElapsed: null,
    trend,
  };
}
