import {
  count,
  type Column,
  PERIOD_FORMATS,
  periodBounds,
  releasabilityField,
  sourceProblems,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import { MX_STATES } from '@bicentennial/seeds/synthetic/publicHealth';
import { z } from 'zod';
import type { HomicideStatistic, Prisma } from '../generated/prisma/client';
import { noteField, optionalAmount, qualifierField, registeredSourceId } from './fields';

export const HOMICIDE_OBJECTIVE = '1.3.1';
export const HOMICIDE_PERIOD_KINDS = ['CALENDAR_YEAR', 'HALF_YEAR', 'MONTH'] as const;
export const HOMICIDE_MEASURES = ['INEGI_DEATH_CERTIFICATES', 'SESNSP_VICTIMS'] as const;
const STATUSES = ['PROVISIONAL', 'FINAL'] as const;
const REGIONS = ['MX', ...MX_STATES] as const;
/** INEGI's death-registration series begins in 1990; nothing earlier is a homicide statistic here. */
const EARLIEST = new Date(Date.UTC(1990, 0, 1));

const schema = z
  .object({
    period: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'),
    periodKind: z.enum(HOMICIDE_PERIOD_KINDS, { message: `must be ${HOMICIDE_PERIOD_KINDS.join(', ')}` }),
    region: z.enum(REGIONS, { message: 'must be MX or the ISO 3166-2 code of a Mexican state such as MX-GUA' }),
    measure: z.enum(HOMICIDE_MEASURES, { message: `must be ${HOMICIDE_MEASURES.join(' or ')}` }),
    count: count(1_000_000)
      .nullish()
      .transform((v) => v ?? null),
    countQualifier: qualifierField,
    ratePer100k: optionalAmount(100_000),
    firearmSharePercent: optionalAmount(100),
    status: z.enum(STATUSES, { message: 'must be PROVISIONAL or FINAL' }),
    sourceId: registeredSourceId,
    note: noteField,
    releasableTo: releasabilityField,
  })
  .transform((row, ctx) => {
    const bounds = periodBounds(row.periodKind, row.period);
    if (!bounds) {
      ctx.addIssue({
        code: 'custom',
        path: ['period'],
        message: `a ${row.periodKind} period is written ${PERIOD_FORMATS[row.periodKind]}`,
      });
    } else if (bounds.start.getTime() > Date.now()) {
      ctx.addIssue({ code: 'custom', path: ['period'], message: 'must not be in the future' });
    } else if (bounds.start < EARLIEST) {
      ctx.addIssue({ code: 'custom', path: ['period'], message: 'must not be before 1990' });
    }
    if (row.count === null && row.ratePer100k === null) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'give a count, a rate per 100,000 or both' });
    }
    if (row.count === null && row.countQualifier !== null) {
      ctx.addIssue({ code: 'custom', path: ['countQualifier'], message: 'qualifies a count: give the count too' });
    }
    if (!bounds) return z.NEVER;
    return {
      ...row,
      countQualifier: row.count === null ? null : (row.countQualifier ?? 'EXACT'),
      periodStart: bounds.start,
      periodEnd: bounds.end,
      objectiveId: HOMICIDE_OBJECTIVE,
    };
  });
export type HomicideRow = z.infer<typeof schema>;

/** The natural key: one figure per period, region, measure, publication and status. */
export const homicideKey = (h: { period: string; region: string; measure: string; sourceId: string; status: string }) =>
  [h.period, h.region, h.measure, h.sourceId, h.status].join('|');

/** A key back into its columns (null for a key this spec never makes). */
export function homicideKeyColumns(
  key: string,
): Prisma.HomicideStatisticPeriodRegionCodeMeasureSourceIdStatusCompoundUniqueInput | null {
  const [period, regionCode, measure, sourceId, status, ...rest] = key.split('|');
  const isMeasure = (v: string | undefined) => HOMICIDE_MEASURES.find((m) => m === v);
  const isStatus = (v: string | undefined) => STATUSES.find((s) => s === v);
  const m = isMeasure(measure);
  const s = isStatus(status);
  if (rest.length > 0 || !period || !regionCode || !sourceId || !m || !s) return null;
  return { period, regionCode, measure: m, sourceId, status: s };
}

/** Homicide statistics: validated, checked against the sources, written with who and when. */
export const homicideSpec: RecordSpec<Prisma.TransactionClient, HomicideRow, HomicideStatistic> = {
  operation: 'recordHomicideStatistic',
  schema,
  key: homicideKey,
  keyField: 'period',
  references: sourceProblems,
  existing: async (tx, keys) => {
    const where = keys.flatMap((key) => homicideKeyColumns(key) ?? []);
    if (where.length === 0) return new Map();
    const rows = await tx.homicideStatistic.findMany({ where: { OR: where } });
    return new Map(rows.map((h) => [homicideKey({ ...h, region: h.regionCode }), h]));
  },
  same: (stored, row) =>
    stored.periodKind === row.periodKind &&
    stored.count === row.count &&
    stored.countQualifier === row.countQualifier &&
    stored.ratePer100k === row.ratePer100k &&
    stored.firearmSharePercent === row.firearmSharePercent &&
    stored.note === row.note &&
    stored.releasableTo === row.releasableTo,
  table: 'HomicideStatistic',
  columns: homicideColumns,
  // In the order homicideKey joins them.
  keyColumns: ['period', 'regionCode', 'measure', 'sourceId', 'status'],
};

/** The columns of a HomicideStatistic row, for bulk inserts. */
export function homicideColumns(recordedBy: string): Column<HomicideRow>[] {
  return [
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'period', type: 'text', value: (r) => r.period },
    { name: 'periodKind', type: '"PeriodKind"', value: (r) => r.periodKind },
    { name: 'periodStart', type: 'date', value: (r) => r.periodStart },
    { name: 'periodEnd', type: 'date', value: (r) => r.periodEnd },
    { name: 'regionCode', type: 'text', value: (r) => r.region },
    { name: 'measure', type: '"HomicideMeasure"', value: (r) => r.measure },
    { name: 'count', type: 'int4', value: (r) => r.count },
    { name: 'countQualifier', type: '"ValueQualifier"', value: (r) => r.countQualifier },
    { name: 'ratePer100k', type: 'float8', value: (r) => r.ratePer100k },
    { name: 'firearmSharePercent', type: 'float8', value: (r) => r.firearmSharePercent },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'note', type: 'text', value: (r) => r.note },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
