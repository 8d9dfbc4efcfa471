import type { z } from 'zod';
import type { Caller } from '@bicentennial/schema';
import { badUserInput, conflict } from '@bicentennial/service';
import { insertNewRows, type Column } from './bulk';
import { isUniqueViolation } from './dbErrors';
import { checkSubmission, idempotentWrite, type RawSql, type SubmissionInput } from './idempotency';
import { isReleasedTo, releasabilityProblem, writerOf } from './releasability';

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
  /**
   * Where new rows go: the table, its columns for a row (`recordedBy`: the verified writer), and the
   * columns of the natural key's unique index, in the order `key` joins them with '|'. The shared
   * code writes them (`writeFresh`), so that no record type can drop a row silently.
   */
  table: string;
  columns(recordedBy: string): Column<Parsed>[];
  keyColumns: readonly string[];
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
  writer: Caller,
): Promise<{ fresh: Indexed<Parsed>[]; present: number; errors: RowProblem[] }> {
  const errors: RowProblem[] = [];
  const parsed: Indexed<Parsed>[] = [];
  rows.forEach((row, index) => {
    const result = spec.schema.safeParse(row);
    if (!result.success) {
      errors.push(...zodProblems(result.error, index, fieldPrefix));
      return;
    }
    const unreleasable = releasabilityProblem(result.data, writer);
    if (unreleasable) {
      errors.push({ row: index, field: `${fieldPrefix}releasableTo`, code: 'BAD_USER_INPUT', message: unreleasable });
    } else parsed.push({ index, row: result.data });
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
  const fresh: Indexed<Parsed>[] = [];
  let present = 0;
  for (const entry of parsed) {
    const previous = stored.get(spec.key(entry.row));
    if (previous === undefined) fresh.push(entry);
    else if (!isReleasedTo(previous, writer)) errors.push(keyInUse(spec, entry, fieldPrefix));
    else if (spec.same(previous, entry.row)) present += 1;
    else errors.push(differentData(spec, entry, fieldPrefix));
  }
  errors.sort((a, b) => a.row - b.row);
  return { fresh, present, errors };
}

type Indexed<Parsed> = { index: number; row: Parsed };

function differentData<Parsed>(
  spec: { key(row: Parsed): string; keyField: string },
  { index, row }: Indexed<Parsed>,
  fieldPrefix: string,
): RowProblem {
  return {
    row: index,
    field: `${fieldPrefix}${spec.keyField}`,
    code: 'CONFLICT',
    message: `record ${spec.key(row)} already exists with different data`,
  };
}

/**
 * A key held by a record the writer may not read (released to the other country only): the
 * answer says the key is taken and nothing else — not whether the data matches, nor what it is.
 */
function keyInUse<Parsed>(
  spec: { key(row: Parsed): string; keyField: string },
  { index, row }: Indexed<Parsed>,
  fieldPrefix: string,
): RowProblem {
  return {
    row: index,
    field: `${fieldPrefix}${spec.keyField}`,
    code: 'CONFLICT',
    message: `${spec.keyField} ${spec.key(row)} is already in use; choose another`,
  };
}

/**
 * Writes the rows `validate` found new, and accounts for every one of them: written, or already
 * present, or a CONFLICT. Between `validate` and the insert another transaction may have written
 * the same natural key (READ COMMITTED: nothing stopped it); the insert then skips that row
 * (`ON CONFLICT DO NOTHING`, which first waits for the other transaction to end). The skipped
 * keys are read again, in a new statement, which sees the other transaction's committed row:
 * the same data is already present, other data is a CONFLICT — never a silent success with the
 * other caller's data. Rows go in natural-key order, so that two batches sharing keys take their
 * locks in one order instead of deadlocking.
 */
async function writeFresh<Tx extends RawSql, Parsed, Existing>(
  tx: Tx,
  spec: RecordSpec<Tx, Parsed, Existing>,
  fresh: Indexed<Parsed>[],
  writer: Caller,
  fieldPrefix: string,
): Promise<{ inserted: number; present: number; conflicts: RowProblem[] }> {
  if (fresh.length === 0) return { inserted: 0, present: 0, conflicts: [] };
  const ordered = [...fresh].sort((a, b) => {
    const [x, y] = [spec.key(a.row), spec.key(b.row)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const written = await insertNewRows(
    tx,
    spec.table,
    spec.columns(writerOf(writer)),
    ordered.map((f) => f.row),
    spec.keyColumns,
  );
  const skipped = ordered.filter((f) => !written.has(spec.key(f.row)));
  if (written.size + skipped.length !== fresh.length) {
    // A key column list that does not spell `key`: a bug in the record type, not in the request.
    throw new Error(`${spec.table}: the inserted keys do not match the record type's key`);
  }
  if (skipped.length === 0) return { inserted: written.size, present: 0, conflicts: [] };
  const stored = await spec.existing(
    tx,
    skipped.map((f) => spec.key(f.row)),
  );
  let present = 0;
  const conflicts: RowProblem[] = [];
  for (const entry of skipped) {
    const winner = stored.get(spec.key(entry.row));
    if (winner !== undefined && !isReleasedTo(winner, writer)) conflicts.push(keyInUse(spec, entry, fieldPrefix));
    else if (winner !== undefined && spec.same(winner, entry.row)) present += 1;
    else if (winner !== undefined) conflicts.push(differentData(spec, entry, fieldPrefix));
    else {
      // Skipped, yet nothing under its key: the row met another unique index, or was deleted since.
      conflicts.push({
        row: entry.index,
        field: `${fieldPrefix}${spec.keyField}`,
        code: 'CONFLICT',
        message: `record ${spec.key(entry.row)} was written concurrently and could not be stored; retry`,
      });
    }
  }
  return { inserted: written.size, present, conflicts };
}

/** Rolls an import's transaction back while still answering with its row problems. */
class ImportRolledBack extends Error {
  constructor(readonly result: ImportResult) {
    super('import rolled back');
  }
}

/**
 * A bulk import call: every row is validated; when any row is wrong nothing is written and every
 * problem is returned; otherwise new rows are written in one transaction and rows already stored
 * with the same data are skipped (so a re-run adds nothing). A row another transaction wrote
 * meanwhile counts as already present only when it holds the same data; with other data it is a
 * CONFLICT row problem and the whole batch is rolled back. `dryRun` validates only.
 */
export async function importRecords<Tx extends RawSql, Parsed, Existing>(
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  spec: RecordSpec<Tx, Parsed, Existing>,
  rows: unknown[],
  options: { dryRun: boolean; writer: Caller },
): Promise<ImportResult> {
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badUserInput(`at most ${MAX_IMPORT_ROWS} rows per call; split the import into batches`, 'rows');
  }
  const { writer } = options;
  writerOf(writer);
  try {
    return await transaction(async (tx) => {
      const { fresh, present, errors } = await validate(tx, spec, rows, '', writer);
      if (errors.length > 0 || options.dryRun) {
        return { received: rows.length, inserted: 0, alreadyPresent: present, dryRun: options.dryRun, errors };
      }
      const written = await writeFresh(tx, spec, fresh, writer, '');
      if (written.conflicts.length > 0) {
        // All or nothing: a row written meanwhile with other data undoes the whole batch.
        throw new ImportRolledBack({
          received: rows.length,
          inserted: 0,
          alreadyPresent: present + written.present,
          dryRun: false,
          errors: written.conflicts.sort((a, b) => a.row - b.row),
        });
      }
      return {
        received: rows.length,
        inserted: written.inserted,
        alreadyPresent: present + written.present,
        dryRun: false,
        errors: [],
      };
    });
  } catch (error) {
    if (error instanceof ImportRolledBack) return error.result;
    throw error;
  }
}

/**
 * A single-record write (`recordDrugSeizure`): validated like an import row (errors name the
 * `input.` field), idempotent under the submission's key, and under the record's own key: the
 * same record sent again returns the stored one; other data under the same record id is a
 * CONFLICT, also when the other data was written by a concurrent call (`writeFresh`). Every call
 * ends written, replayed, already present or in an error. Returns the record's key.
 */
export async function recordOne<Tx extends RawSql, Parsed, Existing>(
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  spec: RecordSpec<Tx, Parsed, Existing>,
  input: unknown,
  submissionInput: SubmissionInput,
  writer: Caller,
): Promise<{ key: string; replayed: boolean }> {
  const submission = checkSubmission(submissionInput, writer);
  const shape = spec.schema.safeParse(input);
  if (!shape.success) {
    const [first] = zodProblems(shape.error, 0, 'input.');
    throw badUserInput(first!.message, first!.field ?? 'input');
  }
  try {
    return await transaction(async (tx) => {
      const outcome = await idempotentWrite(tx, submission, spec.operation, input, async () => {
        const { fresh, errors } = await validate(tx, spec, [input], 'input.', writer);
        const written = await writeFresh(tx, spec, errors.length > 0 ? [] : fresh, writer, 'input.');
        const [problem] = [...errors, ...written.conflicts];
        if (problem) {
          throw problem.code === 'CONFLICT'
            ? conflict(problem.message)
            : badUserInput(problem.message, problem.field ?? 'input');
        }
        return spec.key(shape.data);
      });
      return { key: outcome.resultId, replayed: outcome.replayed };
    });
  } catch (error) {
    // `writeFresh` inserts with ON CONFLICT DO NOTHING; a unique violation can still come from
    // a record type's own further writes, and is a concurrent write all the same.
    if (isUniqueViolation(error)) throw conflict(`record ${spec.key(shape.data)} was written concurrently; retry`);
    throw error;
  }
}
