import type DataLoader from 'dataloader';
import { loaderByGroup, loaderByKey } from '../subgraph/loaders';
import type { PeriodKind } from './periods';

export type SourceKind = 'OFFICIAL' | 'SYNTHETIC';
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
 * How a domain subgraph reads its indicator values (one `findMany … where id in (…)` per method),
 * what the shared loaders and rules are built on; `indicatorStore` implements it over a subgraph's
 * Prisma client.
 */
export interface IndicatorStore {
  indicatorsByIds(ids: readonly string[]): Promise<IndicatorRow[]>;
  /** Observations of these indicators, source included, in any order. */
  observationsByIndicatorIds(ids: readonly string[]): Promise<ObservationRow[]>;
}

/**
 * The part of a domain subgraph's Prisma client the indicator store reads, written structurally
 * so that each subgraph's own generated client fits as it is.
 */
export interface IndicatorClient {
  indicator: { findMany(args: { where: { id: { in: string[] } } }): Promise<IndicatorRow[]> };
  observation: {
    findMany(args: { where: { indicatorId: { in: string[] } }; include: { source: true } }): Promise<ObservationRow[]>;
  };
}

/** The indicator values a domain subgraph holds, read through its Prisma client. */
export function indicatorStore(prisma: IndicatorClient): IndicatorStore {
  return {
    indicatorsByIds: (ids) => prisma.indicator.findMany({ where: { id: { in: [...ids] } } }),
    observationsByIndicatorIds: (ids) =>
      prisma.observation.findMany({ where: { indicatorId: { in: [...ids] } }, include: { source: true } }),
  };
}

export interface IndicatorLoaders {
  indicator: DataLoader<string, IndicatorRow | null>;
  observations: DataLoader<string, ObservationRow[]>;
}

/** Fresh per request (DataLoader caches must not outlive a request). */
export function createIndicatorLoaders(store: IndicatorStore): IndicatorLoaders {
  return {
    indicator: loaderByKey(
      (ids) => store.indicatorsByIds(ids),
      (row) => row.id,
    ),
    observations: loaderByGroup(
      async (ids) => (await store.observationsByIndicatorIds(ids)).sort(compareInSeries),
      (row) => row.indicatorId,
    ),
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
