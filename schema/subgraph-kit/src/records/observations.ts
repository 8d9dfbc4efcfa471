import { z } from 'zod';
import { PERIOD_FORMATS, PERIOD_KINDS, periodBounds } from '../indicators/periods';
import { regionCode } from '../indicators/seed';
import type { ObservationRow, SourceRow } from '../indicators/observations';
import { SOURCE_KINDS } from '../indicators/sourceKinds';
import type { Caller } from '@bicentennial/schema';
import type { RawSql, SubmissionInput } from './idempotency';
import { importRecords, recordOne, type ImportResult, type RecordSpec, type ReferenceProblem } from './write';

export const RELEASABILITY = ['US', 'MX', 'BOTH'] as const;
export type Releasability = (typeof RELEASABILITY)[number];

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** `ObservationInput` (shared SDL), checked: the period label must have its kind's form. */
export const observationInput = z
  .object({
    indicatorId: z
      .string()
      .regex(/^[1-9]\.[1-9]\.[1-9]\/[a-z0-9]+(-[a-z0-9]+)*$/, 'must be an indicator id such as 2.2.1/us-sourced-share'),
    period: text(40),
    periodKind: z.enum(PERIOD_KINDS, { message: `must be one of ${PERIOD_KINDS.join(', ')}` }),
    value: z.number({ message: 'must be a number' }).finite('must be a finite number'),
    qualifier: z
      .enum(['EXACT', 'APPROXIMATE', 'AT_LEAST'])
      .nullish()
      .transform((v) => v ?? 'EXACT'),
    region: regionCode,
    status: z.enum(['PROVISIONAL', 'FINAL'], { message: 'must be PROVISIONAL or FINAL' }),
    sourceId: text(100),
    note: z
      .string()
      .trim()
      .max(2000, 'must be at most 2000 characters')
      .nullish()
      .transform((v) => v || null),
    releasableTo: z
      .enum(RELEASABILITY)
      .nullish()
      .transform((v) => v ?? 'BOTH'),
  })
  .transform((o, ctx) => {
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
  });
export type ParsedObservation = z.infer<typeof observationInput>;

/** An observation's natural key: one value per indicator, period, region, source and status. */
export const observationKey = (o: {
  indicatorId: string;
  period: string;
  region?: string;
  regionCode?: string;
  sourceId: string;
  status: string;
}) => [o.indicatorId, o.period, o.region ?? o.regionCode, o.sourceId, o.status].join('|');

/**
 * The columns of an observation key, as arrays for `unnest`. Only the source id, free text, may
 * itself hold a '|': indicator ids, period labels, region codes and statuses cannot.
 */
function keyColumns(keys: string[]): string[][] {
  const columns: string[][] = [[], [], [], [], []];
  for (const key of keys) {
    const parts = key.split('|');
    const values = [parts[0]!, parts[1]!, parts[2]!, parts.slice(3, -1).join('|'), parts.at(-1)!];
    values.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** Matches observations by their natural key's columns, so the unique index serves the lookup. */
const BY_KEY = `JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS k(i, p, r, s, st)
  ON o."indicatorId" = k.i AND o.period = k.p AND o."regionCode" = k.r AND o."sourceId" = k.s
     AND o.status = k.st::"ObservationStatus"`;

interface StoredObservation {
  key: string;
  periodKind: string;
  value: number;
  qualifier: string;
  note: string | null;
  releasableTo: string;
}

async function existingIds(tx: RawSql, table: 'Indicator' | 'Source', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM "${table}" WHERE id = ANY($1::text[])`, [
    ...new Set(ids),
  ]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Rows that name a source not registered in this subgraph (every subgraph has the same Source
 * table): one query for the whole batch.
 */
export async function sourceProblems(tx: RawSql, rows: readonly { sourceId: string }[]): Promise<ReferenceProblem[]> {
  const known = await existingIds(
    tx,
    'Source',
    rows.map((r) => r.sourceId),
  );
  return rows.flatMap((row, index) =>
    known.has(row.sourceId)
      ? []
      : [{ index, field: 'sourceId', message: `source ${row.sourceId} does not exist; register it first` }],
  );
}

/**
 * Indicator values an agency submits (`submit<Domain>Observation`, `import<Domain>Observations`):
 * every domain subgraph has the same Indicator, Source and Observation tables (schema/subgraph-kit/src/records
 * and each subgraph's schema.prisma; the migration drift tests keep them so), hence plain SQL.
 */
export function observationSpec(operation: string): RecordSpec<RawSql, ParsedObservation, StoredObservation> {
  return {
    operation,
    schema: observationInput,
    key: observationKey,
    keyField: 'indicatorId',
    references: async (tx, rows) => {
      const indicators = await existingIds(
        tx,
        'Indicator',
        rows.map((r) => r.indicatorId),
      );
      return [
        ...rows.flatMap((row, index) =>
          indicators.has(row.indicatorId)
            ? []
            : [{ index, field: 'indicatorId', message: `indicator ${row.indicatorId} is not held by this subgraph` }],
        ),
        ...(await sourceProblems(tx, rows)),
      ];
    },
    existing: async (tx, keys) => {
      if (keys.length === 0) return new Map();
      const rows = await tx.$queryRawUnsafe<StoredObservation[]>(
        `SELECT concat_ws('|', o."indicatorId", o.period, o."regionCode", o."sourceId", o.status::text) AS key,
                o."periodKind"::text AS "periodKind", o.value, o.qualifier::text AS qualifier, o.note,
                o."releasableTo"::text AS "releasableTo"
         FROM "Observation" o ${BY_KEY}`,
        ...keyColumns(keys),
      );
      return new Map(rows.map((r) => [r.key, r]));
    },
    same: (stored, row) =>
      stored.periodKind === row.periodKind &&
      stored.value === row.value &&
      stored.qualifier === row.qualifier &&
      stored.note === row.note &&
      stored.releasableTo === row.releasableTo,
    table: 'Observation',
    columns: (recordedBy) => [
      { name: 'indicatorId', type: 'text', value: (o) => o.indicatorId },
      { name: 'period', type: 'text', value: (o) => o.period },
      { name: 'periodKind', type: '"PeriodKind"', value: (o) => o.periodKind },
      { name: 'periodStart', type: 'date', value: (o) => o.periodStart },
      { name: 'periodEnd', type: 'date', value: (o) => o.periodEnd },
      { name: 'value', type: 'float8', value: (o) => o.value },
      { name: 'qualifier', type: '"ValueQualifier"', value: (o) => o.qualifier },
      { name: 'regionCode', type: 'text', value: (o) => o.region },
      { name: 'status', type: '"ObservationStatus"', value: (o) => o.status },
      { name: 'sourceId', type: 'text', value: (o) => o.sourceId },
      { name: 'note', type: 'text', value: (o) => o.note },
      { name: 'releasableTo', type: '"Releasability"', value: (o) => o.releasableTo },
      { name: 'recordedBy', type: 'text', value: () => recordedBy },
    ],
    // In the order observationKey joins them.
    keyColumns: ['indicatorId', 'period', 'regionCode', 'sourceId', 'status'],
  };
}

/** `SourceInput` (shared SDL), checked. */
export const sourceInput = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id such as cbp-drug-seizures-fy2025')
    .max(100),
  publisher: text(300),
  title: text(500),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .nullish()
    .transform((v) => v ?? null),
  kind: z.enum(SOURCE_KINDS, { message: `must be one of ${SOURCE_KINDS.join(', ')}` }),
  publishedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    // A day that exists: 2025-02-30 would otherwise reach the database's date cast.
    .refine((day) => !Number.isNaN(Date.parse(day)) && new Date(day).toISOString().slice(0, 10) === day, {
      message: 'must be a day that exists',
    })
    .nullish()
    .transform((v) => v ?? null),
  citedVia: z
    .string()
    .trim()
    .max(300)
    .nullish()
    .transform((v) => v || null),
  citedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((day) => !Number.isNaN(Date.parse(day)) && new Date(day).toISOString().slice(0, 10) === day, {
      message: 'must be a day that exists',
    })
    .nullish()
    .transform((v) => v ?? null),
});
export type ParsedSource = z.infer<typeof sourceInput>;

/** A publication an agency registers before submitting values or records from it. */
export function sourceSpec(operation: string): RecordSpec<RawSql, ParsedSource, ParsedSource> {
  return {
    operation,
    schema: sourceInput,
    key: (s) => s.id,
    keyField: 'id',
    references: () => Promise.resolve([]),
    existing: async (tx, ids) => {
      if (ids.length === 0) return new Map();
      const rows = await tx.$queryRawUnsafe<ParsedSource[]>(
        `SELECT id, publisher, title, url, kind::text AS kind, to_char("publishedOn", 'YYYY-MM-DD') AS "publishedOn", "citedVia",
                to_char("citedOn", 'YYYY-MM-DD') AS "citedOn"
         FROM "Source" WHERE id = ANY($1::text[])`,
        ids,
      );
      return new Map(rows.map((r) => [r.id, r]));
    },
    same: (a, b) =>
      a.publisher === b.publisher &&
      a.title === b.title &&
      a.url === b.url &&
      a.kind === b.kind &&
      a.publishedOn === b.publishedOn &&
      a.citedVia === b.citedVia &&
      a.citedOn === b.citedOn,
    table: 'Source',
    columns: () => [
      { name: 'id', type: 'text', value: (r) => r.id },
      { name: 'publisher', type: 'text', value: (r) => r.publisher },
      { name: 'title', type: 'text', value: (r) => r.title },
      { name: 'url', type: 'text', value: (r) => r.url },
      { name: 'kind', type: '"SourceKind"', value: (r) => r.kind },
      { name: 'publishedOn', type: 'date', value: (r) => r.publishedOn },
      { name: 'citedVia', type: 'text', value: (r) => r.citedVia },
      { name: 'citedOn', type: 'date', value: (r) => r.citedOn },
    ],
    keyColumns: ['id'],
  };
}

const OBSERVATION_COLUMNS = `o.id, o."indicatorId", o.period, o."periodKind"::text AS "periodKind", o."periodStart", o."periodEnd",
  o.value, o.qualifier::text AS qualifier, o."regionCode", o.status::text AS status, o.note,
  o."releasableTo"::text AS "releasableTo", o."recordedBy", o."recordedAt"`;
const SOURCE_COLUMNS = `s.id, s.publisher, s.title, s.url, s.kind::text AS kind, s."publishedOn", s."citedVia", s."citedOn"`;

/**
 * `submit<Domain>Observation`: one indicator value, validated and idempotent (see `recordOne`),
 * returned as stored, with its source.
 */
export async function submitObservation(
  transaction: <T>(work: (tx: RawSql) => Promise<T>) => Promise<T>,
  sql: RawSql,
  operation: string,
  input: unknown,
  submission: SubmissionInput,
  writer: Caller,
): Promise<ObservationRow> {
  const { key } = await recordOne(transaction, observationSpec(operation), input, submission, writer);
  const columns = keyColumns([key]);
  const [row] = await sql.$queryRawUnsafe<Omit<ObservationRow, 'source'>[]>(
    `SELECT ${OBSERVATION_COLUMNS} FROM "Observation" o ${BY_KEY}`,
    ...columns,
  );
  const [source] = await sql.$queryRawUnsafe<SourceRow[]>(
    `SELECT ${SOURCE_COLUMNS} FROM "Source" s WHERE s.id = $1`,
    columns[3]![0],
  );
  if (!row || !source) throw new Error(`observation ${key} is missing after it was written`);
  return { ...row, source };
}

/** `register<Domain>Source`: one publication, validated and idempotent, returned as stored. */
export async function registerSource(
  transaction: <T>(work: (tx: RawSql) => Promise<T>) => Promise<T>,
  sql: RawSql,
  operation: string,
  input: unknown,
  submission: SubmissionInput,
  writer: Caller,
): Promise<SourceRow> {
  const { key } = await recordOne(transaction, sourceSpec(operation), input, submission, writer);
  const [source] = await sql.$queryRawUnsafe<SourceRow[]>(
    `SELECT ${SOURCE_COLUMNS} FROM "Source" s WHERE s.id = $1`,
    key,
  );
  if (!source) throw new Error(`source ${key} is missing after it was written`);
  return source;
}

/** `import<Domain>Observations`: up to 1,000 values, all or nothing (see `importRecords`). */
export function importObservations(
  transaction: <T>(work: (tx: RawSql) => Promise<T>) => Promise<T>,
  operation: string,
  args: { rows: unknown[]; dryRun?: boolean | null },
  writer: Caller,
): Promise<ImportResult> {
  return importRecords(transaction, observationSpec(operation), args.rows, { dryRun: args.dryRun ?? false, writer });
}
