import { handleAll, retry, ExponentialBackoff } from 'cockatiel';
import { z } from 'zod';
import { naturalKey, toInput } from './convert';
import { KeySet } from './keySet';
import { importTargets, INTROSPECTION_QUERY, type ImportTarget } from './introspect';
import { readRows } from './read';

export interface IngestOptions {
  url: string;
  file: string;
  recordType?: string;
  submittedBy: string;
  batchSize: number;
  dryRun: boolean;
  /** Every problem, as found: `line 12, column quantity: must be more than 0`. */
  onProblem: (message: string) => void;
  /** Rows validated or written so far; `total` is known once validation has read the whole file. */
  onProgress?: (phase: 'validate' | 'write', rows: number, total?: number) => void;
}

export interface IngestReport {
  recordType: string;
  rows: number;
  problems: number;
  inserted: number;
  alreadyPresent: number;
  written: boolean;
}

const importResult = z.object({
  received: z.number(),
  inserted: z.number(),
  alreadyPresent: z.number(),
  errors: z.array(z.object({ row: z.number(), field: z.string().nullable(), code: z.string(), message: z.string() })),
});
const graphqlResponse = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z
    .array(z.object({ message: z.string(), extensions: z.record(z.string(), z.unknown()).optional() }))
    .optional(),
});

export class IngestError extends Error {
  override readonly name = 'IngestError';
}

/** Network failures and 5xx answers are retried (a batch is idempotent); nothing else is. */
const transient = retry(handleAll, {
  maxAttempts: 4,
  backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4000 }),
});

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<z.infer<typeof graphqlResponse>> {
  return transient.execute(async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(120_000),
    });
    if (response.status >= 500) throw new IngestError(`the subgraph answered HTTP ${response.status}`);
    const parsed = graphqlResponse.safeParse(await response.json());
    if (!parsed.success)
      throw new IngestError(`the subgraph answered HTTP ${response.status} with something that is not GraphQL`);
    return parsed.data;
  });
}

/** What a subgraph imports, with the columns of each record type (`npm run ingest -- --describe`). */
export async function describeImports(url: string): Promise<ImportTarget[]> {
  const introspection = await post(url, INTROSPECTION_QUERY, {});
  if (introspection.errors)
    throw new IngestError(`cannot read the subgraph's schema: ${introspection.errors[0]?.message ?? ''}`);
  return importTargets(introspection);
}

/** Finds what to import: `--type` or the file's name (`drug-seizures.csv`, `drug-seizures.example.csv`). */
export function chooseTarget(targets: ImportTarget[], file: string, recordType?: string): ImportTarget {
  const base = file.split('/').pop()?.toLowerCase() ?? '';
  const wanted = recordType?.toLowerCase();
  const alias = (t: ImportTarget) =>
    t.recordType.endsWith('-observations') ? ['observations', t.recordType] : [t.recordType];
  const match = wanted
    ? targets.find((t) => alias(t).includes(wanted))
    : targets
        .flatMap((t) => alias(t).map((name) => ({ t, name })))
        .sort((a, b) => b.name.length - a.name.length)
        .find(({ name }) => base === name || base.startsWith(`${name}.`))?.t;
  if (!match) {
    throw new IngestError(
      `${wanted ? `no record type "${wanted}"` : `cannot tell the record type from the file name ${base}`}; ` +
        `this subgraph imports: ${targets.map((t) => t.recordType).join(', ')} (use --type)`,
    );
  }
  return match;
}

function mutationText(target: ImportTarget): string {
  return `mutation Ingest($rows: [${target.inputType}!]!, $submittedBy: String!, $dryRun: Boolean) {
    result: ${target.mutation}(rows: $rows, submittedBy: $submittedBy, dryRun: $dryRun) {
      received inserted alreadyPresent errors { row field code message }
    }
  }`;
}

/**
 * Bulk ingest through the running subgraph (never its database): every row is validated first —
 * locally against the input type, then by the subgraph in dry-run batches — and every problem is
 * reported with its line and column. Only when there is none are the rows written, in
 * transactional batches; rows already stored with the same data are skipped, so a re-run, or a
 * run after one that was killed half-way, ends with exactly the rows of the file.
 */
export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const target = chooseTarget(await describeImports(options.url), options.file, options.recordType);
  const mutation = mutationText(target);

  const send = async (rows: Record<string, unknown>[], dryRun: boolean) => {
    const response = await post(options.url, mutation, { rows, submittedBy: options.submittedBy, dryRun });
    if (response.errors || !response.data) {
      throw new IngestError(
        `the subgraph refused the batch: ${response.errors?.map((e) => e.message).join('; ') ?? 'no data'}`,
      );
    }
    return importResult.parse(response.data['result']);
  };

  // Pass 1: validate everything, write nothing.
  let rows = 0;
  let problems = 0;
  const seen = new KeySet();
  const report = (where: string, column: string | null, reason: string) => {
    problems += 1;
    options.onProblem(`${where}${column ? `, column ${column}` : ''}: ${reason}`);
  };
  let batch: { where: string; input: Record<string, unknown> }[] = [];
  const check = async () => {
    if (batch.length === 0) return;
    const result = await send(
      batch.map((b) => b.input),
      true,
    );
    for (const error of result.errors)
      report(batch[error.row]?.where ?? `row ${error.row}`, error.field, error.message);
    batch = [];
  };
  for await (const { where, position, row } of readRows(options.file)) {
    rows += 1;
    const { input, problems: cells } = toInput(target.fields, row);
    for (const cell of cells) report(where, cell.column, cell.reason);
    if (input) {
      const key = naturalKey(input);
      const first = seen.add(key, position);
      if (first !== undefined)
        report(where, null, `the same record (${key}) is already in the file at ${where.split(' ')[0]} ${first}`);
      else batch.push({ where, input });
    }
    if (batch.length >= options.batchSize) await check();
    options.onProgress?.('validate', rows);
  }
  await check();
  if (problems > 0 || options.dryRun) {
    return { recordType: target.recordType, rows, problems, inserted: 0, alreadyPresent: 0, written: false };
  }

  // Pass 2: write, batch by batch; each batch is one transaction in the subgraph.
  let inserted = 0;
  let alreadyPresent = 0;
  let written = 0;
  let pending: Record<string, unknown>[] = [];
  const write = async () => {
    if (pending.length === 0) return;
    const result = await send(pending, false);
    if (result.errors.length > 0) {
      throw new IngestError(
        `the subgraph refused a batch after validation (${result.errors[0]!.code}: ${result.errors[0]!.message}); ` +
          'rows of earlier batches are written; fix the cause and run the same command again',
      );
    }
    inserted += result.inserted;
    alreadyPresent += result.alreadyPresent;
    written += pending.length;
    pending = [];
    options.onProgress?.('write', written, rows);
  };
  for await (const { row } of readRows(options.file)) {
    const { input } = toInput(target.fields, row);
    if (input) pending.push(input);
    if (pending.length >= options.batchSize) await write();
  }
  await write();
  return { recordType: target.recordType, rows, problems, inserted, alreadyPresent, written: true };
}
