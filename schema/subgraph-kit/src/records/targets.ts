import { z } from 'zod';
import type { Caller } from '@bicentennial/schema';
import { PERIOD_FORMATS, PERIOD_KINDS, periodBounds, type PeriodKind } from '../indicators/periods';
import type { SourceRow } from '../indicators/observations';
import type { RawSql, SubmissionInput } from './idempotency';
import { sourceProblems } from './observations';
import { recordOne, type RecordSpec, type ReferenceProblem } from './write';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

const measureFields = {
  indicatorId: z
    .string()
    .regex(/^[1-9]\.[1-9]\.[1-9]\/[a-z0-9]+(-[a-z0-9]+)*$/, 'must be an indicator id such as 2.2.1/us-sourced-share'),
  period: text(40),
  periodKind: z.enum(PERIOD_KINDS, { message: `must be one of ${PERIOD_KINDS.join(', ')}` }),
  value: z.number({ message: 'must be a number' }).finite('must be a finite number'),
  sourceId: text(100),
  note: optionalText(2000),
};

function withBounds<T extends { period: string; periodKind: PeriodKind }>(o: T, ctx: z.RefinementCtx) {
  const bounds = periodBounds(o.periodKind, o.period);
  if (!bounds) {
    ctx.addIssue({
      code: 'custom',
      path: ['period'],
      message: `a ${o.periodKind} period is written ${PERIOD_FORMATS[o.periodKind]}`,
    });
    return z.NEVER;
  }
  return { ...o, periodStart: bounds.start, periodEnd: bounds.end };
}

/** `TargetInput` (shared SDL), checked. */
export const targetInput = z.object({ ...measureFields, setBy: text(300) }).transform((o, ctx) => withBounds(o, ctx));
export type ParsedTarget = z.infer<typeof targetInput>;

/** `BaselineInput` (shared SDL), checked. */
export const baselineInput = z.object(measureFields).transform((o, ctx) => withBounds(o, ctx));
export type ParsedBaseline = z.infer<typeof baselineInput>;

/** A target or an owner-set baseline as stored (model `Target`, `Baseline`), source included. */
export interface MeasureRow {
  id: string;
  indicatorId: string;
  period: string;
  periodKind: PeriodKind;
  periodStart: Date;
  periodEnd: Date;
  value: number;
  note: string | null;
  recordedBy: string;
  recordedAt: Date;
  source: SourceRow;
}
export interface TargetRow extends MeasureRow {
  setBy: string;
}
export type BaselineRow = MeasureRow;

interface StoredMeasure {
  key: string;
  periodKind: string;
  value: number;
  note: string | null;
  setBy?: string;
}

/**
 * A target or baseline must name an indicator this subgraph holds, in the kind of period of its
 * headline series (it is drawn on that line and compared with its values), and a registered source
 * (the document that sets it).
 */
async function measureProblems(
  tx: RawSql,
  rows: readonly { indicatorId: string; periodKind: string; sourceId: string }[],
): Promise<ReferenceProblem[]> {
  const ids = [...new Set(rows.map((r) => r.indicatorId))];
  const indicators =
    ids.length === 0
      ? []
      : await tx.$queryRawUnsafe<{ id: string; headlinePeriodKind: string | null }[]>(
          `SELECT id, "headlinePeriodKind"::text AS "headlinePeriodKind" FROM "Indicator" WHERE id = ANY($1::text[])`,
          ids,
        );
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const problems: ReferenceProblem[] = [];
  rows.forEach((row, index) => {
    const indicator = byId.get(row.indicatorId);
    if (!indicator) {
      problems.push({
        index,
        field: 'indicatorId',
        message: `indicator ${row.indicatorId} is not held by this subgraph`,
      });
    } else if (indicator.headlinePeriodKind === null) {
      problems.push({
        index,
        field: 'indicatorId',
        message: `indicator ${row.indicatorId} declares no headline series to measure against`,
      });
    } else if (indicator.headlinePeriodKind !== row.periodKind) {
      problems.push({
        index,
        field: 'periodKind',
        message: `must be ${indicator.headlinePeriodKind}, the kind of period of the indicator's headline series`,
      });
    }
  });
  return [...problems, ...(await sourceProblems(tx, rows))];
}

const measureKey = (o: { indicatorId: string; period: string; sourceId: string }) =>
  [o.indicatorId, o.period, o.sourceId].join('|');

function measureSpec<Parsed extends ParsedBaseline & { setBy?: string }>(
  operation: string,
  table: 'Target' | 'Baseline',
  schema: z.ZodType<Parsed>,
): RecordSpec<RawSql, Parsed, StoredMeasure> {
  const setBy = table === 'Target';
  return {
    operation,
    schema,
    key: measureKey,
    keyField: 'period',
    references: (tx, rows) => measureProblems(tx, rows),
    existing: async (tx, keys) => {
      if (keys.length === 0) return new Map();
      // Source ids are kebab-case: they hold no '|', so the key splits back into its columns.
      const columns = [0, 1, 2].map((i) => keys.map((key) => key.split('|')[i]!));
      const rows = await tx.$queryRawUnsafe<StoredMeasure[]>(
        `SELECT concat_ws('|', m."indicatorId", m.period, m."sourceId") AS key, m."periodKind"::text AS "periodKind",
                m.value, m.note${setBy ? ', m."setBy"' : ''}
         FROM "${table}" m
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(i, p, s)
           ON m."indicatorId" = k.i AND m.period = k.p AND m."sourceId" = k.s`,
        ...columns,
      );
      return new Map(rows.map((r) => [r.key, r]));
    },
    same: (stored, row) =>
      stored.periodKind === row.periodKind &&
      stored.value === row.value &&
      stored.note === row.note &&
      (!setBy || stored.setBy === row.setBy),
    table,
    columns: (recordedBy) => [
      { name: 'indicatorId', type: 'text', value: (o) => o.indicatorId },
      { name: 'period', type: 'text', value: (o) => o.period },
      { name: 'periodKind', type: '"PeriodKind"', value: (o) => o.periodKind },
      { name: 'periodStart', type: 'date', value: (o) => o.periodStart },
      { name: 'periodEnd', type: 'date', value: (o) => o.periodEnd },
      { name: 'value', type: 'float8', value: (o) => o.value },
      { name: 'sourceId', type: 'text', value: (o) => o.sourceId },
      { name: 'note', type: 'text', value: (o) => o.note },
      ...(setBy ? [{ name: 'setBy', type: 'text', value: (o: Parsed) => o.setBy ?? null }] : []),
      { name: 'recordedBy', type: 'text', value: () => recordedBy },
    ],
    keyColumns: ['indicatorId', 'period', 'sourceId'],
  };
}

export const targetSpec = (operation: string) => measureSpec(operation, 'Target', targetInput);
export const baselineSpec = (operation: string) => measureSpec(operation, 'Baseline', baselineInput);

const SOURCE_JSON = `json_build_object('id', s.id, 'publisher', s.publisher, 'title', s.title, 'url', s.url,
  'kind', s.kind::text, 'publishedOn', s."publishedOn", 'citedVia', s."citedVia", 'citedOn', s."citedOn")`;

/** Reads stored targets or baselines with their sources, as the snapshot and the mutations return them. */
export async function readMeasures<R extends MeasureRow>(
  sql: RawSql,
  table: 'Target' | 'Baseline',
  where: { key?: string } = {},
): Promise<R[]> {
  const filter = where.key ? `WHERE m."indicatorId" = $1 AND m.period = $2 AND m."sourceId" = $3` : '';
  const rows = await sql.$queryRawUnsafe<(Omit<R, 'source'> & { source: Record<string, unknown> })[]>(
    `SELECT m.id::text AS id, m."indicatorId", m.period, m."periodKind"::text AS "periodKind", m."periodStart",
            m."periodEnd", m.value, m.note, ${table === 'Target' ? 'm."setBy",' : ''} m."recordedBy", m."recordedAt",
            ${SOURCE_JSON} AS source
     FROM "${table}" m JOIN "Source" s ON s.id = m."sourceId" ${filter}
     ORDER BY m."indicatorId", m."periodEnd", m."recordedAt", m.id`,
    ...(where.key ? where.key.split('|') : []),
  );
  // json_build_object gives dates as `YYYY-MM-DD` strings.
  const date = (value: unknown) => (typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : null);
  return rows.map((row) => {
    const source = row.source;
    return {
      ...row,
      periodStart: new Date(row.periodStart),
      periodEnd: new Date(row.periodEnd),
      recordedAt: new Date(row.recordedAt),
      source: {
        id: String(source.id),
        publisher: String(source.publisher),
        title: String(source.title),
        url: (source.url as string | null) ?? null,
        kind: source.kind as SourceRow['kind'],
        publishedOn: date(source.publishedOn),
        citedVia: (source.citedVia as string | null) ?? null,
        citedOn: date(source.citedOn),
      },
    } as unknown as R;
  });
}

/**
 * `set<Domain>IndicatorTarget`: a target the owning agency sets from a published document,
 * validated and idempotent (see `recordOne`); a target for the same indicator, period and
 * document with other data is a CONFLICT (a revised target comes with its own document).
 */
export async function setTarget(
  transaction: <T>(work: (tx: RawSql) => Promise<T>) => Promise<T>,
  sql: RawSql,
  operation: string,
  input: unknown,
  submission: SubmissionInput,
  writer: Caller,
): Promise<TargetRow> {
  const { key } = await recordOne(transaction, targetSpec(operation), input, submission, writer);
  const [row] = await readMeasures<TargetRow>(sql, 'Target', { key });
  if (!row) throw new Error(`target ${key} is missing after it was written`);
  return row;
}

/**
 * `set<Domain>IndicatorBaseline`: the baseline the owning agency sets in place of the default
 * (the plan's first year), validated and idempotent like a target. The most recently recorded
 * baseline of an indicator is its baseline; earlier ones stay stored (and audited).
 */
export async function setBaseline(
  transaction: <T>(work: (tx: RawSql) => Promise<T>) => Promise<T>,
  sql: RawSql,
  operation: string,
  input: unknown,
  submission: SubmissionInput,
  writer: Caller,
): Promise<BaselineRow> {
  const { key } = await recordOne(transaction, baselineSpec(operation), input, submission, writer);
  const [row] = await readMeasures<BaselineRow>(sql, 'Baseline', { key });
  if (!row) throw new Error(`baseline ${key} is missing after it was written`);
  return row;
}

/** A stored owner-set baseline as the `Baseline` type exposes it. */
export function baselineValueOf(row: BaselineRow) {
  return {
    period: row.period,
    periodKind: row.periodKind,
    periodEnd: row.periodEnd,
    value: row.value,
    source: row.source,
    basis: 'SET_BY_OWNER' as const,
    observation: null,
    note: row.note,
  };
}

/** `Target` fields that are not stored as they are exposed. */
export const targetResolvers = {
  document: (row: TargetRow) => row.source,
};
