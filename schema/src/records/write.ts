import type { z } from 'zod';
import { badUserInput, conflict } from '../errors';
import { isUniqueViolation } from './dbErrors';
import { checkSubmission, idempotentWrite, type RawSql, type Submission } from './idempotency';

/** The most rows one import call takes: a batch is one transaction. */
export const MAX_IMPORT_ROWS = 1000;

/** A problem with what a row refers to (`RecordSpec.references`), by the row's index in its batch. */
export interface ReferenceProblem {
  index: number;
  field: string;
  message: string;
}

export interface RowProblem {
  row: number;
  field: string | null;
  code: 'BAD_USER_INPUT' | 'CONFLICT';
  message: string;
}

export interface ImportResult {
  received: number;
  inserted: number;
  alreadyPresent: number;
  dryRun: boolean;
  errors: RowProblem[];
}

/**
 * How one kind of agency record is validated and written, in a subgraph's own terms. `Tx` is the
 * subgraph's Prisma transaction client; every method runs inside the write's transaction.
 */
export interface RecordSpec<Tx, Parsed, Existing> {
  /** The operation's name, recorded with idempotency keys (`recordDrugSeizure`). */
  operation: string;
  /** Shape, formats, units and ranges of one row; field paths name the input field at fault. */
  schema: z.ZodType<Parsed>;
  /** The natural key: the submitting agency's own record id (or a compound key). */
  key(row: Parsed): string;
  /** The input field that holds the key, named in duplicate and conflict errors (`recordId`). */
  keyField: string;
  /** Problems only the database can tell (a port code that does not exist): one query per batch. */
  references(tx: Tx, rows: Parsed[]): Promise<ReferenceProblem[]>;
  /** Records already stored under these keys. */
  existing(tx: Tx, keys: string[]): Promise<Map<string, Existing>>;
  /** Whether a stored record holds the same data as a row (then the row is already present). */
  same(stored: Existing, row: Parsed): boolean;
  /** Writes new rows; returns how many were written (rows written meanwhile are skipped). */
  insert(tx: Tx, rows: Parsed[], submittedBy: string): Promise<number>;
}

function zodProblems(error: z.ZodError, row: number, prefix: string): RowProblem[] {
  return error.issues.map((issue) => ({
    row,
    field: issue.path.length > 0 ? `${prefix}${issue.path.join('.')}` : prefix.replace(/\.$/, '') || null,
    code: 'BAD_USER_INPUT',
    message: issue.message,
  }));
}

async function validate<Tx, Parsed, Existing>(
  tx: Tx,
  spec: RecordSpec<Tx, Parsed, Existing>,
  rows: unknown[],
  fieldPrefix: string,
): Promise<{ parsed: Parsed[]; fresh: Parsed[]; present: number; errors: RowProblem[] }> {
  const errors: RowProblem[] = [];
  const parsed: { index: number; row: Parsed }[] = [];
  rows.forEach((row, index) => {
    const result = spec.schema.safeParse(row);
    if (result.success) parsed.push({ index, row: result.data });
    else errors.push(...zodProblems(result.error, index, fieldPrefix));
  });
  const seen = new Map<string, number>();
  for (const { index, row } of parsed) {
    const key = spec.key(row);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        row: index,
        field: `${fieldPrefix}${spec.keyField}`,
        code: 'BAD_USER_INPUT',
        message: `${key} is also on row ${first}`,
      });
    } else seen.set(key, index);
  }
  const rowsOnly = parsed.map((p) => p.row);
  for (const problem of await spec.references(tx, rowsOnly)) {
    errors.push({
      row: parsed[problem.index]!.index,
      field: `${fieldPrefix}${problem.field}`,
      code: 'BAD_USER_INPUT',
      message: problem.message,
    });
  }
  const stored = await spec.existing(tx, [...seen.keys()]);
  const fresh: Parsed[] = [];
  let present = 0;
  for (const { index, row } of parsed) {
    const previous = stored.get(spec.key(row));
    if (previous === undefined) fresh.push(row);
    else if (spec.same(previous, row)) present += 1;
    else {
      errors.push({
        row: index,
        field: `${fieldPrefix}${spec.keyField}`,
        code: 'CONFLICT',
        message: `record ${spec.key(row)} already exists with different data`,
      });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { parsed: rowsOnly, fresh, present, errors };
}

/**
 * A bulk import call: every row is validated; when any row is wrong nothing is written and every
 * problem is returned; otherwise new rows are written in one transaction and rows already stored
 * with the same data are skipped (so a re-run adds nothing). `dryRun` validates only.
 */
export async function importRecords<Tx, Parsed, Existing>(
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  spec: RecordSpec<Tx, Parsed, Existing>,
  rows: unknown[],
  options: { dryRun: boolean; submittedBy: string },
): Promise<ImportResult> {
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badUserInput(`at most ${MAX_IMPORT_ROWS} rows per call; split the import into batches`, 'rows');
  }
  const submittedBy = options.submittedBy.trim();
  if (submittedBy.length === 0 || submittedBy.length > 200) {
    throw badUserInput('submittedBy must name who submits (1 to 200 characters)', 'submittedBy');
  }
  return transaction(async (tx) => {
    const { fresh, present, errors } = await validate(tx, spec, rows, '');
    if (errors.length > 0 || options.dryRun) {
      return { received: rows.length, inserted: 0, alreadyPresent: present, dryRun: options.dryRun, errors };
    }
    const inserted = fresh.length > 0 ? await spec.insert(tx, fresh, submittedBy) : 0;
    return {
      received: rows.length,
      inserted,
      alreadyPresent: present + (fresh.length - inserted),
      dryRun: false,
      errors: [],
    };
  });
}

/**
 * A single-record write (`recordDrugSeizure`): validated like an import row (errors name the
 * `input.` field), idempotent under the submission's key, and under the record's own key: the
 * same record sent again returns the stored one; other data under the same record id is a
 * CONFLICT. Returns the record's key.
 */
export async function recordOne<Tx extends RawSql, Parsed, Existing>(
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  spec: RecordSpec<Tx, Parsed, Existing>,
  input: unknown,
  submissionInput: Submission,
): Promise<{ key: string; replayed: boolean }> {
  const submission = checkSubmission(submissionInput);
  const shape = spec.schema.safeParse(input);
  if (!shape.success) {
    const [first] = zodProblems(shape.error, 0, 'input.');
    throw badUserInput(first!.message, first!.field ?? 'input');
  }
  try {
    return await transaction(async (tx) => {
      const outcome = await idempotentWrite(tx, submission, spec.operation, input, async () => {
        const { fresh, errors } = await validate(tx, spec, [input], 'input.');
        const [problem] = errors;
        if (problem) {
          throw problem.code === 'CONFLICT'
            ? conflict(problem.message)
            : badUserInput(problem.message, problem.field ?? 'input');
        }
        if (fresh.length > 0) await spec.insert(tx, fresh, submission.submittedBy);
        return spec.key(shape.data);
      });
      return { key: outcome.resultId, replayed: outcome.replayed };
    });
  } catch (error) {
    // Two different keys writing the same new record at once: the loser meets the unique index.
    if (isUniqueViolation(error)) throw conflict(`record ${spec.key(shape.data)} was written concurrently; retry`);
    throw error;
  }
}

/** What a Prisma client offers for interactive transactions (Tx: its transaction client). */
export interface TransactionalClient<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}

/** Runs work in one interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
export function transactions<Tx>(client: TransactionalClient<Tx>) {
  return <R>(work: (tx: Tx) => Promise<R>): Promise<R> =>
    client.$transaction(work, { maxWait: 10_000, timeout: 60_000 });
}
