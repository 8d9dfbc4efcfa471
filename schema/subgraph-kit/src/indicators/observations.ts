import type { Caller, Language } from '@bicentennial/schema';
import { inLanguage } from '../subgraph/language';
import { headlineSeries, overlapsOtherWindow, revisionsOf } from './headline';
import { COVERAGE_REASONS, PROGRESS_STATUSES, type CoverageReason, type ProgressStatus } from './model';
import { baselineValueOf, type BaselineRow, type TargetRow } from '../records/targets';
import { planFirstYearBaseline, progressOf, type BaselineValue, type ProgressValue } from './progress';
import { releasedFilter } from '../records/releasability';
import { snapshotOf, type Snapshot } from '../records/snapshot';
import type { PeriodKind } from './periods';
import type { IndicatorDirection, SeededCoverageReason } from './model';
import type { SourceKind } from './sourceKinds';

export type ObservationStatus = 'PROVISIONAL' | 'FINAL';
export type ValueQualifier = 'EXACT' | 'APPROXIMATE' | 'AT_LEAST';

/** A publication, as every domain subgraph stores it (model `Source`). */
export interface SourceRow {
  id: string;
  publisher: string;
  title: string;
  url: string | null;
  kind: SourceKind;
  publishedOn: Date | null;
  citedVia: string | null;
  /** When the outlet in `citedVia` reported the figure: the publication was out by then. */
  citedOn: Date | null;
}

/** An indicator whose values a domain subgraph holds (model `Indicator`). */
export interface IndicatorRow {
  id: string;
  objectiveId: string;
  direction: IndicatorDirection;
  directionRuleEn: string;
  directionRuleEs: string;
  /** The headline series' source family (`Source.publisher`), period kind and region. */
  headlinePublisher: string | null;
  headlinePeriodKind: PeriodKind | null;
  headlineRegion: string | null;
  headlineDescriptionEn: string | null;
  headlineDescriptionEs: string | null;
  /** Why there are no values, as the owner declares it for an indicator without any. */
  coverageReason: SeededCoverageReason | null;
  coverageNote: string | null;
}

/** One observed value with its source (model `Observation`, source included). */
export interface ObservationRow {
  id: string;
  indicatorId: string;
  period: string;
  periodKind: PeriodKind;
  periodStart: Date;
  periodEnd: Date;
  value: number;
  qualifier: ValueQualifier;
  /** ISO 3166-1 alpha-2 for a national value (`MX`), ISO 3166-2 for a state (`MX-GUA`). */
  regionCode: string;
  status: ObservationStatus;
  note: string | null;
  releasableTo: 'US' | 'MX' | 'BOTH';
  recordedBy: string;
  recordedAt: Date;
  source: SourceRow;
}

/**
 * The part of a domain subgraph's Prisma client the indicator snapshot reads, written
 * structurally so that each subgraph's own generated client fits as it is.
 */
export interface IndicatorClient {
  indicator: { findMany(args: { orderBy: { id: 'asc' } }): Promise<IndicatorRow[]> };
  observation: { findMany(args: { include: { source: true } }): Promise<ObservationRow[]> };
  target: { findMany(args: { include: { source: true } }): Promise<TargetRow[]> };
  baseline: { findMany(args: { include: { source: true } }): Promise<BaselineRow[]> };
}

/** A domain subgraph's indicators and every value of each, as its snapshot holds them. */
export interface IndicatorData {
  indicators: ReadonlyMap<string, IndicatorRow>;
  /** Each indicator's values in series order (`compareInSeries`), sources included, for every caller. */
  series: ReadonlyMap<string, readonly ObservationRow[]>;
  /** Each indicator's targets, by the end of their period. */
  targets: ReadonlyMap<string, readonly TargetRow[]>;
  /** Each indicator's baseline set by its owner: the most recently recorded one. */
  baselines: ReadonlyMap<string, BaselineRow>;
}

/**
 * The process's snapshot of the subgraph's indicators, values, targets, baselines and their
 * sources (records/snapshot.ts): published statistics every Dashboard reads whole, loaded in a
 * fixed number of statements whatever their number, and dropped by every write of the process.
 * `prisma` is the unnarrowed client the writes go through: what each caller may see is applied
 * when a request reads it (`createIndicatorLoaders`).
 */
export function indicatorSnapshot(prisma: IndicatorClient): Snapshot<IndicatorData> {
  return snapshotOf(prisma, 'indicators', async () => {
    const [indicators, observations, targetRows, baselineRows] = await Promise.all([
      prisma.indicator.findMany({ orderBy: { id: 'asc' } }),
      prisma.observation.findMany({ include: { source: true } }),
      prisma.target.findMany({ include: { source: true } }),
      prisma.baseline.findMany({ include: { source: true } }),
    ]);
    const targets = new Map<string, TargetRow[]>();
    for (const row of [...targetRows].sort((a, b) => a.periodEnd.getTime() - b.periodEnd.getTime())) {
      targets.set(row.indicatorId, [...(targets.get(row.indicatorId) ?? []), row]);
    }
    const baselines = new Map<string, BaselineRow>();
    for (const row of baselineRows) {
      const current = baselines.get(row.indicatorId);
      if (!current || row.recordedAt > current.recordedAt) baselines.set(row.indicatorId, row);
    }
    const series = new Map<string, ObservationRow[]>();
    for (const row of observations.sort(compareInSeries)) {
      const values = series.get(row.indicatorId);
      if (values) values.push(row);
      else series.set(row.indicatorId, [row]);
    }
    return { indicators: new Map(indicators.map((i) => [i.id, i])), series, targets, baselines };
  });
}

/** How a request reads indicators and their values (the subset of DataLoader's API resolvers use). */
export interface IndicatorLoaders {
  indicator: { load(id: string): Promise<IndicatorRow | null> };
  /** An indicator's values the caller may see, in series order. */
  observations: { load(id: string): Promise<ObservationRow[]> };
  /** An indicator's targets (public, set from published documents), by the end of their period. */
  targets(id: string): Promise<readonly TargetRow[]>;
  /** The baseline the owner set for an indicator, when it set one. */
  ownerBaseline(id: string): Promise<BaselineRow | null>;
  /** How many values the indicator has for anybody (to tell "not releasable" from "none"). */
  storedCount(id: string): Promise<number>;
  /** The indicators the caller may see whose objective id starts with `prefix` (`2.`, `2.2.`, `2.2.1`). */
  under(prefix: string): Promise<IndicatorRow[]>;
  /**
   * What `compute` gives for `key` (`progress:<id>`, …), worked out once per request and snapshot:
   * a goal's, an area's and an objective's summaries, and the indicator itself, all read one
   * indicator's progress. A write drops the snapshot, and with it what was worked out from it.
   */
  derived<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/**
 * A request's reads of indicator values, from the process's snapshot (no SQL once it is loaded),
 * narrowed to what `caller` may see exactly as the scoped client narrows SQL reads
 * (`releasedFilter`: the `Indicator` and `Observation` models' conditions, `models` their
 * subgraph's releasable models). Fresh per request: it keeps this request's filtered series.
 */
export function createIndicatorLoaders(
  prisma: IndicatorClient,
  caller: Caller,
  models: ReadonlySet<string>,
): IndicatorLoaders {
  const snapshot = indicatorSnapshot(prisma);
  const indicatorVisible = releasedFilter('Indicator', caller, models);
  const observationVisible = releasedFilter('Observation', caller, models);
  const visible = (row: IndicatorRow) => !indicatorVisible || indicatorVisible(row);
  /** Per loaded snapshot (a write replaces it): what this request worked out from it, by key. */
  const worked = new WeakMap<IndicatorData, Map<string, Promise<unknown>>>();
  /**
   * The snapshot's data as this request reads it: once per generation, so that while snapshots
   * are not kept (a replica not hearing the others' writes loads on every `get`) a request still
   * loads once, not at every indicator and level; a write drops it as it drops the snapshot.
   */
  let read: { generation: number; data: Promise<IndicatorData> } | undefined;
  const data = (): Promise<IndicatorData> => {
    if (read && read.generation === snapshot.generation) return read.data;
    const loading = snapshot.get();
    const held = { generation: snapshot.generation, data: loading };
    read = held;
    // A failed load is not kept for the request either.
    loading.catch(() => {
      if (read === held) read = undefined;
    });
    return loading;
  };
  const memo = <T>(data: IndicatorData, key: string, compute: () => Promise<T>): Promise<T> => {
    let byKey = worked.get(data);
    if (!byKey) worked.set(data, (byKey = new Map<string, Promise<unknown>>()));
    let value = byKey.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      byKey.set(key, value);
      // A failure is not kept: the next read works it out again.
      value.catch(() => byKey.delete(key));
    }
    return value;
  };
  return {
    indicator: {
      load: async (id) => {
        const row = (await data()).indicators.get(id) ?? null;
        return row && visible(row) ? row : null;
      },
    },
    observations: {
      // Worked out once per request and snapshot, as `derived` is: a write drops both.
      load: async (id) => {
        const loaded = await data();
        return memo(loaded, `observations:${id}`, () => {
          const all = loaded.series.get(id) ?? [];
          return Promise.resolve(observationVisible ? all.filter(observationVisible) : [...all]);
        });
      },
    },
    targets: async (id) => (await data()).targets.get(id) ?? [],
    ownerBaseline: async (id) => (await data()).baselines.get(id) ?? null,
    storedCount: async (id) => (await data()).series.get(id)?.length ?? 0,
    under: async (prefix) =>
      [...(await data()).indicators.values()].filter((row) => row.objectiveId.startsWith(prefix) && visible(row)),
    derived: async <T>(key: string, compute: () => Promise<T>): Promise<T> => memo(await data(), key, compute),
  };
}

/** Series order: by period, national before states, provisional before final, then by source. */
export function compareInSeries(a: ObservationRow, b: ObservationRow): number {
  return (
    a.periodStart.getTime() - b.periodStart.getTime() ||
    a.periodEnd.getTime() - b.periodEnd.getTime() ||
    a.regionCode.localeCompare(b.regionCode) ||
    statusRank(a) - statusRank(b) ||
    a.source.id.localeCompare(b.source.id)
  );
}

const isNational = (row: ObservationRow) => !row.regionCode.includes('-');
const statusRank = (row: ObservationRow) => (row.status === 'FINAL' ? 1 : 0);

export interface IndicatorContext {
  indicators: IndicatorLoaders;
}

type Lang = Language | null | undefined;

/** The filters of `observations`: every value, narrowed by any of them. */
export interface ObservationFilter {
  publisher?: string | null;
  sourceId?: string | null;
  periodKind?: PeriodKind | null;
  region?: string | null;
  status?: ObservationStatus | null;
  sourceKind?: SourceKind | null;
}

/** An indicator's headline series for the caller of `context`. */
export function headlineOf(indicator: IndicatorRow, context: IndicatorContext): Promise<ObservationRow[]> {
  return context.indicators.derived(`headline:${indicator.id}`, async () =>
    headlineSeries(indicator, await context.indicators.observations.load(indicator.id)),
  );
}

/**
 * An indicator's baseline: the one its owner set (the most recently recorded), else the headline
 * value of the plan's first year (`planFirstYearBaseline`).
 */
async function baselineOf(indicator: IndicatorRow, context: IndicatorContext): Promise<BaselineValue | null> {
  const set = await context.indicators.ownerBaseline(indicator.id);
  if (set) return baselineValueOf(set);
  return planFirstYearBaseline(await headlineOf(indicator, context));
}

/** Progress of an indicator for the caller of `context` (progress.ts has the rules). */
export function progressFor(indicator: IndicatorRow, context: IndicatorContext): Promise<ProgressValue> {
  return context.indicators.derived(`progress:${indicator.id}`, async () =>
    progressOf(
      indicator.direction,
      await headlineOf(indicator, context),
      await baselineOf(indicator, context),
      await context.indicators.targets(indicator.id),
    ),
  );
}

export interface CoverageValue {
  hasData: boolean;
  reason: CoverageReason | null;
  note: string | null;
}

/**
 * Whether the caller sees any value of the indicator and, when not, why: values exist but none
 * may be released to this caller (NOT_RELEASABLE), or the owner's declared reason.
 */
export async function coverageFor(indicator: IndicatorRow, context: IndicatorContext): Promise<CoverageValue> {
  if ((await context.indicators.observations.load(indicator.id)).length > 0) {
    return { hasData: true, reason: null, note: null };
  }
  if ((await context.indicators.storedCount(indicator.id)) > 0) {
    return {
      hasData: false,
      reason: 'NOT_RELEASABLE',
      note: 'Values are held for this indicator, but none may be released to this caller.',
    };
  }
  return {
    hasData: false,
    reason: indicator.coverageReason ?? 'NOT_YET_SUBMITTED',
    note: indicator.coverageNote,
  };
}

/** Counts of a set of indicators by progress status and by coverage, for one part of the plan. */
export interface SummaryValue {
  indicators: number;
  withData: number;
  byStatus: { status: ProgressStatus; count: number }[];
  byCoverage: { reason: CoverageReason; count: number }[];
}

/**
 * The summary of the caller's indicators under an objective, area or goal id: `2` counts the
 * indicators of goal 2's objectives, `2.2` those of area 2.2, `2.2.1` those of the objective.
 * Every status and every reason is listed, with a zero count where none applies.
 */
export async function summaryUnder(id: string, context: IndicatorContext): Promise<SummaryValue> {
  // Ids are single digits per level: `2.2.1` as a prefix matches that objective only.
  const indicators = await context.indicators.under(id.split('.').length === 3 ? id : `${id}.`);
  const statuses = new Map<ProgressStatus, number>(PROGRESS_STATUSES.map((s) => [s, 0]));
  const reasons = new Map<CoverageReason, number>(COVERAGE_REASONS.map((r) => [r, 0]));
  let withData = 0;
  for (const indicator of indicators) {
    const [progress, coverage] = await Promise.all([progressFor(indicator, context), coverageFor(indicator, context)]);
    statuses.set(progress.status, statuses.get(progress.status)! + 1);
    if (coverage.hasData) withData += 1;
    else reasons.set(coverage.reason!, reasons.get(coverage.reason!)! + 1);
  }
  return {
    indicators: indicators.length,
    withData,
    byStatus: [...statuses].map(([status, count]) => ({ status, count })),
    byCoverage: [...reasons].map(([reason, count]) => ({ reason, count })),
  };
}

/**
 * Resolvers of a domain subgraph's indicator entity (`FirearmsIndicator`, …): `id` is its key;
 * its direction, headline and values, progress and coverage are the owner's. An id the
 * subgraph does not hold resolves to `null`.
 */
export function indicatorEntityResolvers() {
  return {
    __resolveReference: (reference: { id: string }, context: IndicatorContext) =>
      context.indicators.indicator.load(reference.id),
    direction: (indicator: IndicatorRow) => indicator.direction,
    directionRule: (indicator: IndicatorRow, { lang }: { lang?: Lang }, context: IndicatorContext) =>
      inLanguage(lang, context, { en: indicator.directionRuleEn, es: indicator.directionRuleEs }),
    headline: (indicator: IndicatorRow) => headlineDefinitionOf(indicator),
    series: (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) => headlineOf(indicator, context),
    latest: async (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) =>
      (await headlineOf(indicator, context)).at(-1) ?? null,
    observations: async (indicator: IndicatorRow, filter: ObservationFilter, context: IndicatorContext) =>
      (await context.indicators.observations.load(indicator.id)).filter(
        (row) =>
          (filter.publisher == null || row.source.publisher === filter.publisher) &&
          (filter.sourceId == null || row.source.id === filter.sourceId) &&
          (filter.periodKind == null || row.periodKind === filter.periodKind) &&
          (filter.region == null || row.regionCode === filter.region) &&
          (filter.status == null || row.status === filter.status) &&
          (filter.sourceKind == null || row.source.kind === filter.sourceKind),
      ),
    revisions: async (indicator: IndicatorRow, { period }: { period: string }, context: IndicatorContext) =>
      revisionsOf(indicator, await context.indicators.observations.load(indicator.id), period),
    baseline: (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) => baselineOf(indicator, context),
    targets: async (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) => [
      ...(await context.indicators.targets(indicator.id)),
    ],
    progress: (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) => progressFor(indicator, context),
    coverage: (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) => coverageFor(indicator, context),
  };
}

/** An indicator's headline definition (`HeadlineDefinition`). */
export interface HeadlineValue {
  publisher: string;
  periodKind: PeriodKind;
  region: string;
  descriptionEn: string;
  descriptionEs: string;
}

/** The headline an indicator declares; null when it declares none. */
export function headlineDefinitionOf(indicator: IndicatorRow): HeadlineValue | null {
  if (
    indicator.headlinePublisher === null ||
    indicator.headlinePeriodKind === null ||
    indicator.headlineRegion === null
  ) {
    return null;
  }
  return {
    publisher: indicator.headlinePublisher,
    periodKind: indicator.headlinePeriodKind,
    region: indicator.headlineRegion,
    descriptionEn: indicator.headlineDescriptionEn ?? '',
    descriptionEs: indicator.headlineDescriptionEs ?? '',
  };
}

/** `HeadlineDefinition` fields that are not stored as they are exposed. */
export const headlineDefinitionResolvers = {
  country: (headline: HeadlineValue) => headline.region.slice(0, 2),
  regionCode: (headline: HeadlineValue) => (headline.region.includes('-') ? headline.region : null),
  description: (headline: HeadlineValue, { lang }: { lang?: Lang }, context: object) =>
    inLanguage(lang, context, { en: headline.descriptionEn, es: headline.descriptionEs }),
};

/** A summary's part for one of the plan's levels (an objective, area or goal), keyed by its id. */
export const summaryResolver = (level: { id: string }, _args: unknown, context: IndicatorContext) =>
  summaryUnder(level.id, context);

/** `Observation` fields that are not stored as they are exposed. */
export const observationResolvers = {
  overlapsOtherWindow: async (row: ObservationRow, _args: unknown, context: IndicatorContext) =>
    overlapsOtherWindow(row, await context.indicators.observations.load(row.indicatorId)),
  country: (row: ObservationRow) => row.regionCode.slice(0, 2),
  regionCode: (row: ObservationRow) => (isNational(row) ? null : row.regionCode),
};

/**
 * The resolvers every domain subgraph adds for the plan's levels and the headline definition:
 * `Goal` and `CooperationArea` references (framework owns them) with this subgraph's part of
 * their `progress` under `summaryField` (`firearmsSummary`, …), and `HeadlineDefinition`. The
 * subgraph's `JointObjective` adds `[summaryField]: summaryResolver` to its own resolvers.
 */
export function planLevelResolvers<F extends string>(summaryField: F) {
  const level = {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    [summaryField]: summaryResolver,
  } as { __resolveReference: (reference: { id: string }) => { id: string } } & Record<F, typeof summaryResolver>;
  return { Goal: level, CooperationArea: level, HeadlineDefinition: headlineDefinitionResolvers };
}
