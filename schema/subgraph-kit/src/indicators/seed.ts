import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PERIOD_FORMATS, PERIOD_KINDS, periodBounds } from './periods';
import { SOURCE_KINDS } from './sourceKinds';
import {
  INDICATOR_DIRECTIONS,
  SEEDED_COVERAGE_REASONS,
  type IndicatorDirection,
  type SeededCoverageReason,
} from './model';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** Objective ids are the action plan's numbering: goal.area.objective. */
export const objectiveId = z.string().regex(/^[1-9]\.[1-9]\.[1-9]$/, 'must be an objective id such as 2.2.1');
/** `<objective>/<kebab-case slug>`, e.g. `2.2.1/us-sourced-share`. */
export const indicatorId = z
  .string()
  .regex(/^[1-9]\.[1-9]\.[1-9]\/[a-z0-9]+(-[a-z0-9]+)*$/, 'must be <objective>/<kebab-case-slug>');
/** ISO 3166-1 alpha-2 (`MX`) or ISO 3166-2 (`MX-GUA`). */
export const regionCode = z
  .string()
  .regex(/^(US|MX)(-[A-Z]{2,3})?$/, 'must be US, MX or an ISO 3166-2 code such as MX-GUA');

const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id'),
  publisher: z.string().min(1),
  title: z.string().min(1),
  url: z.url().nullable().default(null),
  kind: z.enum(SOURCE_KINDS),
  publishedOn: isoDate.nullable().default(null),
  citedVia: z.string().min(1).nullable().default(null),
  citedOn: isoDate.nullable().default(null),
});

const observationSchema = z.strictObject({
  period: z.string().min(1),
  periodKind: z.enum(PERIOD_KINDS),
  value: z.number().finite(),
  qualifier: z.enum(['EXACT', 'APPROXIMATE', 'AT_LEAST']).default('EXACT'),
  region: regionCode,
  status: z.enum(['PROVISIONAL', 'FINAL']),
  source: z.string().min(1),
  note: z.string().min(1).nullable().default(null),
});

const text = z.strictObject({ en: z.string().min(1), es: z.string().min(1) });

/** What a dashboard draws as the indicator's line (see `headlineSeries`). */
const headlineSchema = z.strictObject({
  publisher: z.string().min(1),
  periodKind: z.enum(PERIOD_KINDS),
  region: regionCode,
  description: text,
});

const indicatorSchema = z.strictObject({
  id: indicatorId,
  objectiveId,
  direction: z.enum(INDICATOR_DIRECTIONS),
  directionRule: text,
  headline: headlineSchema.nullable().default(null),
  coverage: z.strictObject({ reason: z.enum(SEEDED_COVERAGE_REASONS), note: z.string().min(1) }).optional(),
  observations: z.array(observationSchema),
});

const seedSchema = z.strictObject({
  $comment: z.string().optional(),
  sources: z.array(sourceSchema),
  indicators: z.array(indicatorSchema),
});

export type IndicatorSeedFile = z.infer<typeof seedSchema>;

/** An indicator as the owner's `Indicator` model stores it (metadata; its values are observations). */
export interface IndicatorSeedRow {
  id: string;
  objectiveId: string;
  direction: IndicatorDirection;
  directionRuleEn: string;
  directionRuleEs: string;
  headlinePublisher: string | null;
  headlinePeriodKind: (typeof PERIOD_KINDS)[number] | null;
  headlineRegion: string | null;
  headlineDescriptionEn: string | null;
  headlineDescriptionEs: string | null;
  coverageReason: SeededCoverageReason | null;
  coverageNote: string | null;
}

export interface IndicatorSeedRows {
  sources: (Omit<z.infer<typeof sourceSchema>, 'publishedOn' | 'citedOn'> & {
    publishedOn: Date | null;
    citedOn: Date | null;
  })[];
  indicators: IndicatorSeedRow[];
  observations: {
    indicatorId: string;
    period: string;
    periodKind: (typeof PERIOD_KINDS)[number];
    periodStart: Date;
    periodEnd: Date;
    value: number;
    qualifier: 'EXACT' | 'APPROXIMATE' | 'AT_LEAST';
    regionCode: string;
    status: 'PROVISIONAL' | 'FINAL';
    sourceId: string;
    note: string | null;
  }[];
}

export class SeedFileError extends Error {
  override readonly name = 'SeedFileError';
}

/**
 * Reads and checks a domain subgraph's `indicators.json` (public figures with their sources):
 * the shape, every period label against its kind, every source reference, that each indicator
 * belongs to its objective, and that no value is given twice.
 */
export function readIndicatorSeed(path: string): IndicatorSeedRows {
  const parsed = seedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new SeedFileError(`${path} is not a valid indicator seed:\n${problems}`);
  }
  const { sources, indicators } = parsed.data;
  const problems: string[] = [];
  const sourceIds = new Set<string>();
  for (const source of sources) {
    if (sourceIds.has(source.id)) problems.push(`source ${source.id} is listed twice`);
    sourceIds.add(source.id);
  }
  const used = new Set<string>();
  const keys = new Set<string>();
  const observations: IndicatorSeedRows['observations'] = [];
  for (const indicator of indicators) {
    if (!indicator.id.startsWith(`${indicator.objectiveId}/`)) {
      problems.push(`indicator ${indicator.id} does not belong to objective ${indicator.objectiveId}`);
    }
    const { headline, coverage } = indicator;
    if (indicator.observations.length > 0) {
      if (!headline) problems.push(`${indicator.id} has values but no headline (what its line is drawn from)`);
      if (coverage) problems.push(`${indicator.id} has values: its coverage is computed, not declared`);
    } else if (!coverage) {
      problems.push(
        `${indicator.id} has no values: its coverage must say why (NO_PUBLISHED_FIGURE or NOT_YET_SUBMITTED)`,
      );
    }
    if (
      headline &&
      indicator.observations.length > 0 &&
      !indicator.observations.some(
        (o) =>
          o.periodKind === headline.periodKind &&
          o.region === headline.region &&
          sources.find((source) => source.id === o.source)?.publisher === headline.publisher,
      )
    ) {
      problems.push(
        `${indicator.id}: no value matches its headline (${headline.publisher}, ${headline.periodKind}, ${headline.region})`,
      );
    }
    if (headline) {
      // Two values of the headline family for one period must be vintages the headline can order
      // (final over provisional, then by date): two undated values of the same status are two
      // measures, and the line would show one of them arbitrarily.
      const seen = new Map<string, string>();
      for (const o of indicator.observations) {
        const source = sources.find((s) => s.id === o.source);
        if (!source || source.publisher !== headline.publisher) continue;
        if (o.periodKind !== headline.periodKind || o.region !== headline.region) continue;
        const vintage = [o.period, o.status, source.publishedOn ?? source.citedOn ?? 'undated'].join('|');
        const other = seen.get(vintage);
        if (other !== undefined) {
          problems.push(
            `${indicator.id} ${o.period}: the headline cannot choose between ${other} and ${o.source} (same status, same or no date)`,
          );
        }
        seen.set(vintage, o.source);
      }
    }
    indicator.observations.forEach((o, index) => {
      const where = `${indicator.id} observation ${index} (${o.period})`;
      const bounds = periodBounds(o.periodKind, o.period);
      if (!bounds) problems.push(`${where}: a ${o.periodKind} period is written ${PERIOD_FORMATS[o.periodKind]}`);
      if (!sourceIds.has(o.source)) problems.push(`${where}: unknown source ${o.source}`);
      used.add(o.source);
      const key = [indicator.id, o.period, o.region, o.source, o.status].join('|');
      if (keys.has(key)) problems.push(`${where}: the same value is given twice`);
      keys.add(key);
      if (bounds) {
        observations.push({
          indicatorId: indicator.id,
          period: o.period,
          periodKind: o.periodKind,
          periodStart: bounds.start,
          periodEnd: bounds.end,
          value: o.value,
          qualifier: o.qualifier,
          regionCode: o.region,
          status: o.status,
          sourceId: o.source,
          note: o.note,
        });
      }
    });
  }
  for (const id of sourceIds) if (!used.has(id)) problems.push(`source ${id} is never used`);
  if (problems.length > 0) throw new SeedFileError(`${path}:\n  ${problems.join('\n  ')}`);
  const date = (text: string | null) => (text === null ? null : new Date(`${text}T00:00:00Z`));
  return {
    sources: sources.map((source) => ({
      ...source,
      publishedOn: date(source.publishedOn),
      citedOn: date(source.citedOn),
    })),
    indicators: indicators.map((i) => ({
      id: i.id,
      objectiveId: i.objectiveId,
      direction: i.direction,
      directionRuleEn: i.directionRule.en,
      directionRuleEs: i.directionRule.es,
      headlinePublisher: i.headline?.publisher ?? null,
      headlinePeriodKind: i.headline?.periodKind ?? null,
      headlineRegion: i.headline?.region ?? null,
      headlineDescriptionEn: i.headline?.description.en ?? null,
      headlineDescriptionEs: i.headline?.description.es ?? null,
      coverageReason: i.coverage?.reason ?? null,
      coverageNote: i.coverage?.note ?? null,
    })),
    observations,
  };
}

/**
 * The part of a domain subgraph's Prisma client `syncIndicatorSeed` writes through, written
 * structurally so that each subgraph's own generated client fits as it is.
 */
export interface IndicatorSeedClient {
  source: {
    createMany(args: { data: IndicatorSeedRows['sources']; skipDuplicates: true }): PromiseLike<unknown>;
    update(args: {
      where: { id: string };
      data: Omit<IndicatorSeedRows['sources'][number], 'id'>;
    }): PromiseLike<unknown>;
  };
  indicator: {
    upsert(args: {
      where: { id: string };
      create: IndicatorSeedRow;
      update: Omit<IndicatorSeedRow, 'id'>;
    }): PromiseLike<unknown>;
  };
  observation: {
    createMany(args: {
      data: (IndicatorSeedRows['observations'][number] & { recordedBy: string })[];
      skipDuplicates: true;
    }): PromiseLike<{ count: number }>;
  };
  $transaction(operations: PromiseLike<unknown>[]): Promise<unknown[]>;
}

/**
 * Writes a subgraph's indicator seed over its database in one transaction, on a new database and
 * at every later start: every source of the file is created or rewritten as the file has it,
 * every indicator's metadata (direction, headline, coverage) likewise, and every value of the file
 * not yet stored is added (recorded by `seed`). Values already stored are never changed or
 * removed (an agency may have revised them), so a corrected figure ships as a new value with its
 * own source. Returns how many values were added.
 */
export async function syncIndicatorSeed(prisma: IndicatorSeedClient, rows: IndicatorSeedRows): Promise<number> {
  const results = await prisma.$transaction([
    prisma.source.createMany({ data: rows.sources, skipDuplicates: true }),
    ...rows.sources.map(({ id, ...data }) => prisma.source.update({ where: { id }, data })),
    ...rows.indicators.map(({ id, ...data }) =>
      prisma.indicator.upsert({ where: { id }, create: { id, ...data }, update: data }),
    ),
    prisma.observation.createMany({
      data: rows.observations.map((o) => ({ ...o, recordedBy: 'seed' })),
      skipDuplicates: true,
    }),
  ]);
  return (results[results.length - 1] as { count: number }).count;
}
