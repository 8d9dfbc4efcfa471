import { setTimeout as sleep } from 'node:timers/promises';
import {
  ErrorCode,
  readSupergraphConfig,
  Scope,
  WRITABLE_SUBGRAPHS,
  writeScope,
  type WritableSubgraph,
} from '@bicentennial/schema';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { parse, print } from 'graphql';
import { z } from 'zod';
import { naturalKey, toInput } from './convert';
import { KeySet } from './keySet';
import { importTargets, INTROSPECTION_QUERY, ownedMutations, type ImportTarget } from './introspect';
import { readRows } from './read';

/** The gateway's GraphQL endpoint when neither `--url` nor GATEWAY_URL names one (`npm start`'s). */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

/**
 * How the ingest reaches the graph: through the gateway, as the caller a token proves, like every
 * other write. The gateway checks the token and the subgraph's write scope, and the subgraph
 * records the token's `sub@agency` as the writer of every row.
 */
export interface GatewayConnection {
  /** The gateway's GraphQL URL. */
  url: string;
  /** The caller's bearer JWT. Writes and dry runs need one with `<subgraph>:write`. */
  token?: string | undefined;
  /** The subgraph written into: only the import mutations its own SDL defines are targets. */
  subgraph: WritableSubgraph;
  /** Told before each wait the gateway's rate limit asks for (HTTP 429, Retry-After). */
  onWait?: (seconds: number, attempt: number) => void;
}

export interface IngestOptions extends GatewayConnection {
  file: string;
  recordType?: string;
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
type GraphQLAnswer = z.infer<typeof graphqlResponse>;

export class IngestError extends Error {
  override readonly name = 'IngestError';
}

/** A failure worth retrying: the gateway unreachable or failing (5xx), a subgraph unavailable, TRY_AGAIN. */
class TransientError extends IngestError {}

/**
 * Transient failures are retried (a batch is idempotent: rows already stored are skipped);
 * nothing else is: a refused token or scope stays refused however often it is sent.
 */
const transient = retry(
  handleWhen((error) => error instanceof TransientError),
  { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4000 }) },
);

/** GraphQL error codes that say "the same request may succeed later" (nothing was written). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.TRY_AGAIN]);

/** At most this many 429 answers in a row for one request, and at most this long a wait for each. */
export const MAX_RATE_LIMITED_WAITS = 10;
const MAX_RETRY_AFTER_SECONDS = 120;

/** Whether `name` is a subgraph the ingest writes into (one with a write scope of its own). */
export function isWritableSubgraph(name: string | undefined): name is WritableSubgraph {
  return (WRITABLE_SUBGRAPHS as readonly string[]).includes(name ?? '');
}

/** The message for a write attempted without a token (nothing has been sent). */
export function noTokenMessage(subgraph: WritableSubgraph): string {
  const scope = writeScope(subgraph);
  return (
    `writes need a token with ${scope} (--token, or BICENTENNIAL_TOKEN); mint one in development with ` +
    `npm run token -- --agency <AGENCY> --country <US|MX> --scope "${scope}"`
  );
}

/** When a JWT's (unverified) `exp` is in the past, that time: a hint for the 401 message only. */
function expiredAt(token: string | undefined): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) {
      return new Date(payload.exp * 1000).toISOString();
    }
  } catch {
    // Not a JWT we can read: the gateway's answer is all there is to say.
  }
  return undefined;
}

function unauthenticatedMessage(connection: GatewayConnection): string {
  const expiry = expiredAt(connection.token);
  return (
    'the gateway refused the token (HTTP 401 UNAUTHENTICATED): it is not valid — expired, not valid yet, ' +
    'signed by a key the gateway does not trust, from another issuer or for another audience; the gateway ' +
    'does not say which (it logs the reason)' +
    (expiry ? `. Its exp claim says it expired at ${expiry}` : '') +
    `. Use a valid token with ${writeScope(connection.subgraph)} (in development: npm run token -- …)`
  );
}

function lacksScopeMessage(subgraph: WritableSubgraph, mutation: string, dryRun: boolean): string {
  const scope = writeScope(subgraph);
  return (
    `the token lacks the scope ${scope}: the gateway refused ${mutation} (${ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE}) ` +
    `and ${dryRun ? 'nothing was written' : 'this batch was not written'}; a token writes only into the ` +
    `subgraphs its scopes name (in development: npm run token -- … --scope "${scope}")`
  );
}

/** Seconds a 429 asks to wait: `Retry-After` (seconds or an HTTP date), else the error's extension, else 1. */
function retryAfterSeconds(response: Response, body: unknown): number {
  const header = response.headers.get('retry-after');
  let seconds = header === null ? Number.NaN : Number(header);
  if (header !== null && Number.isNaN(seconds)) seconds = (Date.parse(header) - Date.now()) / 1000;
  if (!Number.isFinite(seconds)) {
    const parsed = graphqlResponse.safeParse(body);
    seconds = Number(parsed.success ? parsed.data.errors?.[0]?.extensions?.['retryAfterSeconds'] : Number.NaN);
  }
  if (!Number.isFinite(seconds)) seconds = 1;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in 120 s';
  return error instanceof Error ? error.message : String(error);
}

type Answer = { kind: 'answered'; body: GraphQLAnswer } | { kind: 'rate-limited'; seconds: number };

/** One POST to the gateway, classified: answered, rate limited, or an error (transient or not). */
async function postOnce(
  connection: GatewayConnection,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(connection.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new TransientError(`cannot reach the gateway at ${connection.url} (${describeCause(error)})`);
  }
  if (response.status === 401) throw new IngestError(unauthenticatedMessage(connection));
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 429) return { kind: 'rate-limited', seconds: retryAfterSeconds(response, body) };
  if (response.status >= 500) throw new TransientError(`the gateway answered HTTP ${response.status}`);
  const parsed = graphqlResponse.safeParse(body);
  if (!parsed.success) {
    throw new IngestError(`the gateway answered HTTP ${response.status} with something that is not GraphQL`);
  }
  const errors = parsed.data.errors ?? [];
  if (errors.length > 0 && errors.every((e) => RETRYABLE_CODES.has(String(e.extensions?.['code'])))) {
    throw new TransientError(`the gateway answered: ${errorList(errors)}`);
  }
  return { kind: 'answered', body: parsed.data };
}

/** Posts an operation; retries transient failures, and waits out the rate limit a bounded number of times. */
async function post(
  connection: GatewayConnection,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLAnswer> {
  for (let waits = 0; ; waits++) {
    const answer = await transient.execute(() => postOnce(connection, query, variables));
    if (answer.kind === 'answered') return answer.body;
    if (waits >= MAX_RATE_LIMITED_WAITS) {
      throw new IngestError(
        `the gateway kept answering 429 (rate limited) after ${MAX_RATE_LIMITED_WAITS} waits; its per-caller ` +
          'limit is below what this ingest needs: use a larger --batch-size, or run it later',
      );
    }
    connection.onWait?.(answer.seconds, waits + 1);
    await sleep(answer.seconds * 1000);
  }
}

function errorList(errors: NonNullable<GraphQLAnswer['errors']>): string {
  return errors
    .map((e) => (typeof e.extensions?.['code'] === 'string' ? `${e.message} (${e.extensions['code']})` : e.message))
    .join('; ');
}

const hasCode = (answer: GraphQLAnswer, code: string) =>
  (answer.errors ?? []).some((e) => e.extensions?.['code'] === code);

/**
 * What the subgraph imports, with the columns of each record type (`npm run ingest -- --describe`):
 * the gateway's import mutations that the subgraph's own SDL defines. Introspection needs no
 * token in development; under the production profile a write scope or graph:analyze.
 */
export async function describeImports(connection: GatewayConnection): Promise<ImportTarget[]> {
  const introspection = await post(connection, INTROSPECTION_QUERY, {});
  if (hasCode(introspection, ErrorCode.FORBIDDEN)) {
    throw new IngestError(
      `the gateway refuses to describe its schema to ${connection.token ? 'this token' : 'a caller without a token'} ` +
        `(${ErrorCode.FORBIDDEN}): under the production profile, introspection needs a token with a write scope ` +
        `(${writeScope(connection.subgraph)} for this subgraph) or ${Scope.ANALYST}`,
    );
  }
  if (introspection.errors) {
    throw new IngestError(`cannot read the gateway's schema: ${errorList(introspection.errors)}`);
  }
  const config = readSupergraphConfig().find((s) => s.name === connection.subgraph);
  if (!config) throw new IngestError(`schema/supergraph.yaml has no subgraph ${connection.subgraph}`);
  const owned = ownedMutations(config.sdlPath);
  const targets = importTargets(introspection, owned);
  if (targets.length === 0) {
    throw new IngestError(
      `the gateway's schema has none of the import mutations the ${connection.subgraph} subgraph defines ` +
        `(${[...owned].filter((m) => m.startsWith('import')).join(', ') || 'none'}): ` +
        'is the gateway serving a supergraph with this subgraph in it?',
    );
  }
  return targets;
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

/**
 * The operation one batch of an ingest sends for an import mutation: named after it
 * (`importDrugSeizures` is `IngestDrugSeizures`, so that every import mutation has an operation
 * name of its own in the persisted operations) and printed by graphql-js, so that the text is a
 * function of the mutation and its input type alone. `npm run operations` writes this very text into
 * schema/persisted-operations.json for every import mutation of the supergraph: the gateway's
 * safelist (SAFELIST=enforce, the production default) runs it by its SHA-256 for a writer without
 * graph:analyze.
 */
export function mutationText(target: Pick<ImportTarget, 'mutation' | 'inputType'>): string {
  const name = `Ingest${target.mutation.slice('import'.length)}`;
  return print(
    parse(`mutation ${name}($rows: [${target.inputType}!]!, $dryRun: Boolean) {
      result: ${target.mutation}(rows: $rows, dryRun: $dryRun) {
        received inserted alreadyPresent errors { row field code message }
      }
    }`),
  );
}

/**
 * Bulk ingest through the gateway, as the caller `token` proves (never straight to a subgraph, never
 * into its database): every write has the one way in, checked there for the subgraph's write scope
 * and recorded as written by the token's `sub@agency`. Every row is validated first — locally
 * against the input type, then by the subgraph in dry-run batches — and every problem is reported
 * with its line and column. Only when there is none are the rows written, in transactional batches;
 * rows already stored with the same data are skipped, so a re-run, or a run after one that was
 * killed half-way, ends with exactly the rows of the file.
 */
export async function ingest(options: IngestOptions): Promise<IngestReport> {
  // Before anything is sent: without a token the gateway would take the ingest for the public.
  if (!options.token) throw new IngestError(noTokenMessage(options.subgraph));
  const target = chooseTarget(await describeImports(options), options.file, options.recordType);
  const mutation = mutationText(target);

  const send = async (rows: Record<string, unknown>[], dryRun: boolean) => {
    const response = await post(options, mutation, { rows, dryRun });
    const result = response.data?.['result'];
    // The gateway removes a mutation the caller's scopes do not allow before it plans: the answer
    // is `data: null` with UNAUTHORIZED_FIELD_OR_TYPE, and the subgraph never sees the batch.
    const refused = hasCode(response, ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE);
    if (refused || (!response.errors && (result === undefined || result === null))) {
      throw new IngestError(lacksScopeMessage(options.subgraph, target.mutation, dryRun));
    }
    if (response.errors || result === undefined || result === null) {
      throw new IngestError(`the gateway refused the batch: ${errorList(response.errors ?? [])}`);
    }
    return importResult.parse(result);
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
    let result: z.infer<typeof importResult>;
    try {
      result = await send(pending, false);
    } catch (error) {
      // A failure mid-way (the gateway or subgraph gone past the retries): say what is stored.
      if (!(error instanceof IngestError) || written === 0) throw error;
      throw new IngestError(
        `${error.message}; the ${written} rows of earlier batches are written; run the same command again to finish`,
      );
    }
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
