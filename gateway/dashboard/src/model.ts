/** The data of the ReferenceDashboard operation (operations/ReferenceDashboard.graphql), as the page reads it. */

export interface SourceData {
  id: string;
  publisher: string;
  title: string;
  url: string | null;
  kind: string;
  publishedOn: string | null;
  citedVia: string | null;
}

export interface ObservationData {
  period: string;
  periodKind: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  qualifier: string;
  status: string;
  country: string | null;
  regionCode: string | null;
  note: string | null;
  source: SourceData;
}

/** The value progress is measured from, with its source. */
export interface BaselineData {
  period: string;
  periodKind: string;
  value: number;
  basis: string;
  source: SourceData;
  note: string | null;
}

/** A value the owner aims at for a period, set by a published document. */
export interface TargetData {
  period: string;
  periodKind: string;
  periodEnd: string;
  value: number;
  setBy: string;
  note: string | null;
  document: SourceData;
}

export interface TrendData {
  periods: number;
  change: number;
  changePercent: number | null;
  direction: string;
  from: { period: string };
  to: { period: string };
}

export interface ProgressData {
  status: string;
  change: number | null;
  changePercent: number | null;
  baseline: BaselineData | null;
  /** The target measured against, when there is one (one of `targets`). */
  target: { period: string } | null;
  /** Share of the way from the baseline to the target covered (1 = reached). */
  towardTarget: number | null;
  /** Share of the time from the baseline to the target passed. */
  timeElapsed: number | null;
  trend: TrendData | null;
}

export interface CoverageData {
  hasData: boolean;
  reason: string | null;
  note: string | null;
}

export interface HeadlineData {
  publisher: string;
  periodKind: string;
  country: string;
  regionCode: string | null;
  description: string;
}

/**
 * An indicator as the operation selects it. The fields its owner's subgraph answers are null when
 * that subgraph is down (an error names it); the registry's (framework's) are always there.
 */
export interface IndicatorData {
  id: string;
  name: string;
  unit: string;
  description: string;
  direction: string | null;
  /** Why the direction is progress, in the page's language. */
  directionRule: string | null;
  /** The indicator whose total this one's values are part of (never add the two). */
  partOf: { id: string; name: string } | null;
  partOfNote: string | null;
  /** What the headline series is drawn from; null for an indicator without values. */
  headline: HeadlineData | null;
  /** The headline series: one value per period, oldest first; its last is the latest value. */
  series: ObservationData[] | null;
  progress: ProgressData | null;
  coverage: CoverageData | null;
  /** null when the owner's subgraph did not answer. */
  targets: TargetData[] | null;
}

export interface TranslationData {
  title: string;
  description?: string | null;
}

export interface StatusCount {
  status: string;
  count: number;
}

export interface CoverageCount {
  reason: string;
  count: number;
}

/** An objective's, area's or goal's indicators counted by progress status and coverage. */
export interface SummaryData {
  indicators: number;
  withData: number;
  byStatus: StatusCount[];
  byCoverage: CoverageCount[];
}

export interface ObjectiveData {
  id: string;
  title: string;
  translation: TranslationData;
  owner: string;
  indicators: IndicatorData[];
  /** Counted by the graph, when the operation selects it (see operations/ReferenceDashboard.graphql). */
  progress?: SummaryData | null;
}

export interface AreaData {
  id: string;
  title: string;
  translation: TranslationData;
  objectives: ObjectiveData[];
  /** Counted by the graph, when the operation selects it (see operations/ReferenceDashboard.graphql). */
  progress?: SummaryData | null;
}

export interface GoalData {
  id: string;
  title: string;
  description: string;
  translation: TranslationData;
  areas: AreaData[];
  /** Counted by the graph, when the operation selects it (see operations/ReferenceDashboard.graphql). */
  progress?: SummaryData | null;
}

export interface DashboardData {
  framework: { title: string; translation: TranslationData };
  goals: GoalData[];
}

/** One point of the line the chart draws and the table lists. */
export interface SeriesPoint {
  observation: ObservationData;
  /** Milliseconds of the period's end (the x position). */
  at: number;
}

/** The headline series as points, oldest first (the graph gives one value per period). */
export function headlineSeries(indicator: IndicatorData): SeriesPoint[] {
  return (indicator.series ?? [])
    .map((observation) => ({ observation, at: Date.parse(observation.periodEnd) }))
    .sort((a, b) => a.at - b.at);
}

/** The latest value: the headline series' last (the graph's `latest` is the same value). */
export function latestOf(indicator: IndicatorData): ObservationData | null {
  const series = indicator.series ?? [];
  return series.length === 0 ? null : series[series.length - 1]!;
}

/**
 * Why an indicator shows no figure: its coverage's reason; null when it has values, or when its
 * owner did not answer (its coverage is unknown then).
 */
export function missingReason(indicator: IndicatorData): string | null {
  if (!indicator.coverage || indicator.coverage.hasData) return null;
  return indicator.coverage.reason ?? 'NO_PUBLISHED_FIGURE';
}

/** Every distinct source of an indicator's values, in the order they first appear. */
export function sourcesOf(indicator: IndicatorData, points: readonly SeriesPoint[]): SourceData[] {
  const seen = new Map<string, SourceData>();
  const add = (source: SourceData | null | undefined) => {
    if (source && !seen.has(source.id)) seen.set(source.id, source);
  };
  for (const point of points) add(point.observation.source);
  add(indicator.progress?.baseline?.source);
  for (const target of indicator.targets ?? []) add(target.document);
  return [...seen.values()];
}
