import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PERIOD_FORMATS, PERIOD_KINDS, periodBounds } from './periods';
import { SOURCE_KINDS } from './sourceKinds';

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

const seedSchema = z.strictObject({
  $comment: z.string().optional(),
  sources: z.array(sourceSchema),
  indicators: z.array(
    z.strictObject({
      id: indicatorId,
      objectiveId,
      observations: z.array(observationSchema),
    }),
  ),
});

export type IndicatorSeedFile = z.infer<typeof seedSchema>;

export interface IndicatorSeedRows {
  sources: (Omit<z.infer<typeof sourceSchema>, 'publishedOn'> & { publishedOn: Date | null })[];
  indicators: { id: string; objectiveId: string }[];
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
  return {
    sources: sources.map((source) => ({
      ...source,
      publishedOn: source.publishedOn === null ? null : new Date(`${source.publishedOn}T00:00:00Z`),
    })),
    indicators: indicators.map(({ id, objectiveId: objective }) => ({ id, objectiveId: objective })),
    observations,
  };
}
