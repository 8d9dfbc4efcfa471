import type { Caller } from '@bicentennial/schema';
import { releasedFilter } from '../records/releasability';
import { snapshotOf, type Snapshot } from '../records/snapshot';
import type { PeriodKind } from './periods';
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
}

/** An indicator whose values a domain subgraph holds (model `Indicator`). */
export interface IndicatorRow {
  id: string;
  objectiveId: string;
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
}

/** A domain subgraph's indicators and every value of each, as its snapshot holds them. */
export interface IndicatorData {
  indicators: ReadonlyMap<string, IndicatorRow>;
  /** Each indicator's values in series order (`compareInSeries`), sources included, for every caller. */
  series: ReadonlyMap<string, readonly ObservationRow[]>;
}

/**
 * The process's snapshot of the subgraph's indicators, values and sources (records/snapshot.ts):
 * published statistics every Dashboard reads whole, loaded in three statements (indicators,
 * values, their sources) whatever their number, and dropped by every write of the process.
 * `prisma` is the unnarrowed client the writes go through: what each caller may see is applied
 * when a request reads it (`createIndicatorLoaders`).
 */
export function indicatorSnapshot(prisma: IndicatorClient): Snapshot<IndicatorData> {
  return snapshotOf(prisma, 'indicators', async () => {
    const [indicators, observations] = await Promise.all([
      prisma.indicator.findMany({ orderBy: { id: 'asc' } }),
      prisma.observation.findMany({ include: { source: true } }),
    ]);
    const series = new Map<string, ObservationRow[]>();
    for (const row of observations.sort(compareInSeries)) {
      const values = series.get(row.indicatorId);
      if (values) values.push(row);
      else series.set(row.indicatorId, [row]);
    }
    return { indicators: new Map(indicators.map((i) => [i.id, i])), series };
  });
}

/** How a request reads indicators and their values (the subset of DataLoader's API resolvers use). */
export interface IndicatorLoaders {
  indicator: { load(id: string): Promise<IndicatorRow | null> };
  /** An indicator's values the caller may see, in series order. */
  observations: { load(id: string): Promise<ObservationRow[]> };
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
  const filtered = new Map<string, Promise<ObservationRow[]>>();
  return {
    indicator: {
      load: async (id) => {
        const row = (await snapshot.get()).indicators.get(id) ?? null;
        return row && (!indicatorVisible || indicatorVisible(row)) ? row : null;
      },
    },
    observations: {
      load: (id) => {
        let values = filtered.get(id);
        if (!values) {
          values = snapshot.get().then(({ series }) => {
            const all = series.get(id) ?? [];
            return observationVisible ? all.filter(observationVisible) : [...all];
          });
          filtered.set(id, values);
        }
        return values;
      },
    },
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
const publishedRank = (row: ObservationRow) => row.source.publishedOn?.getTime() ?? 0;

/**
 * The value a dashboard shows as "latest": among national values (state values only when an
 * indicator has no national value), the one whose period ends last; for the same end, the
 * shorter period (a year over a multi-year total), a final value over a provisional one, then
 * the most recent publication.
 */
export function latestObservation(rows: readonly ObservationRow[]): ObservationRow | null {
  const national = rows.filter(isNational);
  const candidates = national.length > 0 ? national : rows;
  let best: ObservationRow | null = null;
  for (const row of candidates) {
    if (!best || compareForLatest(row, best) > 0) best = row;
  }
  return best;
}

function compareForLatest(a: ObservationRow, b: ObservationRow): number {
  return (
    a.periodEnd.getTime() - b.periodEnd.getTime() ||
    a.periodStart.getTime() - b.periodStart.getTime() ||
    statusRank(a) - statusRank(b) ||
    publishedRank(a) - publishedRank(b)
  );
}

export interface IndicatorContext {
  indicators: IndicatorLoaders;
}

/**
 * Resolvers of a domain subgraph's indicator entity (`FirearmsIndicator`, …): `id` is its key,
 * `series` and `latest` its values. An id the subgraph does not hold resolves to `null`.
 */
export function indicatorEntityResolvers() {
  return {
    __resolveReference: (reference: { id: string }, context: IndicatorContext) =>
      context.indicators.indicator.load(reference.id),
    series: (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) =>
      context.indicators.observations.load(indicator.id),
    latest: async (indicator: IndicatorRow, _args: unknown, context: IndicatorContext) =>
      latestObservation(await context.indicators.observations.load(indicator.id)),
  };
}

/** `Observation` fields that are not stored as they are exposed. */
export const observationResolvers = {
  country: (row: ObservationRow) => row.regionCode.slice(0, 2),
  regionCode: (row: ObservationRow) => (isNational(row) ? null : row.regionCode),
};
