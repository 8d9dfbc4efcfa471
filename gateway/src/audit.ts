import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import { classifyGraphQLOutcome, type InternalSigner, type Logger } from '@bicentennial/service';
import {
  getOperationAST,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { fetch, type Dispatcher } from 'undici';

/*
 * The audit trail's delivery (README text, copy as is):
 *
 * Every operation the gateway answers is one audit event: when it arrived, who asked (the verified
 * subject, agency and country, or anonymous), the operation's name, the SHA-256 of its document,
 * the persisted query hash if one was sent, the `Type.field` coordinates it selected, the SHA-256
 * of its variables as canonical JSON (the values themselves are not kept), how it ended (OK,
 * PARTIAL, REFUSED with the codes that refused it, ERROR) and how long it took. Requests refused
 * before GraphQL (401 UNAUTHENTICATED, 429 RATE_LIMITED) are events too.
 *
 * The gateway holds no database: it sends its events, in batches of up to AUDIT_BATCH_SIZE (500)
 * or every 200 ms, to the audit subgraph (POST /internal/audit-events, with an internal token for
 * the audience `audit-ingest`), which stores them in its own database and answers only once they
 * are committed. What it guarantees:
 *
 * - No event is lost while the audit subgraph is down or slow: a batch is retried, with backoff
 *   (100 ms doubling to 5 s), until the subgraph has stored it. Events keep being recorded
 *   meanwhile; past AUDIT_MAX_BUFFERED (100,000) in memory they are written to a spool file in
 *   AUDIT_SPOOL_DIR (one JSON event per line, fsynced before it counts as written), and sent from
 *   there once the subgraph is back.
 * - On SIGTERM the gateway stops taking requests, then sends every buffered event; what it cannot
 *   send before the shutdown deadline (SHUTDOWN_TIMEOUT_MS) is spooled, fsynced, before it exits.
 *   The next gateway started with the same AUDIT_SPOOL_DIR sends the spooled events first.
 * - Events are never stored twice: each has an id (a UUID the gateway gives it when the request
 *   arrives), and the audit subgraph ignores an id it already holds. A batch whose answer was lost,
 *   or a spool file sent again after a crash, adds nothing.
 * - An event the audit subgraph refuses as malformed (which the gateway's own truncation to the
 *   subgraph's bounds should make impossible) is isolated by splitting its batch, kept in a
 *   `rejected-*.jsonl` spool file and logged as an error; a gateway start offers it again.
 * - What is not guaranteed: events still in memory when the process is killed without SIGTERM
 *   (SIGKILL, a crash, the machine losing power) are lost; at most AUDIT_BATCH_SIZE ×2 plus the
 *   200 ms not yet sent, in normal operation. If even the spool file cannot be written (the disk
 *   full), the events are written to the log at error level, the last place left.
 * - Recording an event never fails a request and hardly delays it: the request's hook notes the
 *   time and the request (a few microseconds), the event is worked out once the answer is on its
 *   way, and sent later.
 */

/** The audience of the internal tokens the audit subgraph's ingest endpoint accepts. */
export const AUDIT_INGEST_AUDIENCE = 'audit-ingest';
export const AUDIT_INGEST_PATH = '/internal/audit-events';
/** The most events one POST may carry (the audit subgraph's bound: one call, one transaction). */
export const MAX_AUDIT_BATCH = 1000;

/**
 * The audit subgraph's bounds on each field (subgraphs/audit/src/ingest.ts, `FIELD_LIMITS`):
 * events are truncated to them here, so that none is ever refused for its size.
 */
export const AUDIT_FIELD_LIMITS = {
  subject: 200,
  agency: 40,
  operationName: 256,
  persistedQueryId: 128,
  coordinates: 5000,
  coordinate: 256,
  reason: 1000,
  errorCodes: 50,
  errorCode: 100,
  gateway: 200,
} as const;

export type AuditOutcome = 'OK' | 'PARTIAL' | 'REFUSED' | 'ERROR';

/** An event as `record()` takes it (a request refused before GraphQL: 401, 429). */
export interface AuditEventInput {
  /** Default: a new UUID. */
  id?: string;
  /** When the request arrived. */
  occurredAt: Date;
  /** The verified caller; null (or ANONYMOUS) for an anonymous one or one whose token was refused. */
  caller: Caller | null;
  operationName?: string | null;
  /** SHA-256 hex of the document (`documentHash`). */
  operationHash?: string | null;
  persistedQueryId?: string | null;
  coordinates?: readonly string[];
  /** `variablesHash` of the variables. */
  variablesHash?: string | null;
  outcome: AuditOutcome;
  /** Why, in short: `UNAUTHENTICATED`, `RATE_LIMITED`. */
  reason?: string | null;
  errorCodes?: readonly string[];
  durationMs: number;
}

/** An event as it is sent and spooled: the audit subgraph's `POST /internal/audit-events` shape. */
export interface AuditEventWire {
  id: string;
  occurredAt: string;
  subject: string | null;
  agency: string | null;
  country: 'US' | 'MX' | null;
  operationName: string | null;
  operationHash: string | null;
  persistedQueryId: string | null;
  coordinates: string[];
  variablesHash: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  errorCodes: string[];
  durationMs: number;
  gateway: string;
}

export interface AuditTrailOptions {
  /** The audit subgraph's base URL (`http://audit:4007`; a URL with a path, such as its /graphql, works too). */
  url: string;
  /** Signs the internal token of each POST (audience `audit-ingest`, anonymous). */
  signer: InternalSigner;
  logger: Logger;
  /** This gateway instance, stored on every event (e.g. host name and pid). */
  gatewayId: string;
  /** Events per POST (1–1,000). */
  batchSize?: number;
  /** Longest an event waits in memory before a batch is sent, when fewer than `batchSize` are waiting. */
  flushIntervalMs?: number;
  /** Events kept in memory while the audit subgraph cannot take them; past this they are spooled. */
  maxBuffered?: number;
  /** Where undelivered events are spooled (created if absent). One folder per gateway instance is best. */
  spoolDir: string;
  /** The keep-alive pool to send with (the gateway's own); undici's global one otherwise. */
  dispatcher?: Dispatcher;
  /** Longest one POST may take before it counts as failed and is retried. */
  requestTimeoutMs?: number;
  /** Backoff between retries: `initial` doubling up to `max`, each ±20 % (ms). */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface AuditTrail {
  /** Records one event (a request refused before GraphQL). Never throws, never waits. */
  record(event: AuditEventInput): void;
  /** Fills one event per GraphQL request (see `eventOfRequest`). Add it to the gateway's ApolloServer. */
  plugin: ApolloServerPlugin<BaseContext>;
  /**
   * Sends what is buffered now, and resolves once every event recorded before the call has been
   * stored by the audit subgraph (or spooled). While the subgraph is down it keeps waiting: use
   * `stop` for a bounded wait.
   */
  flush(): Promise<void>;
  /**
   * Stops the trail: sends everything buffered, retrying within `deadlineMs` from now, then
   * spools (fsynced) whatever could not be sent. Resolves by the deadline. Events recorded after
   * `stop` are spooled at once.
   */
  stop(deadlineMs: number): Promise<void>;
  /** Events in memory, not yet stored (buffered and in flight); for status and tests. */
  readonly pending: number;
}

// ---------------------------------------------------------------------------------------------
// Hashes and fields

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The SHA-256 of an operation's document as the client sent it (the APQ hash of the same text). */
export const documentHash = sha256Hex;

/** JSON with every object's keys sorted, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
      return sorted;
    }) ?? 'null'
  );
}

/** The SHA-256 of variables as canonical JSON; null when there are none. */
export function variablesHash(variables: unknown): string | null {
  if (variables === undefined || variables === null) return null;
  if (typeof variables === 'object' && !Array.isArray(variables) && Object.keys(variables).length === 0) return null;
  return sha256Hex(canonicalJson(variables));
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The persisted query hash of a request's `extensions` (APQ: `persistedQuery.sha256Hash`), if any. */
export function persistedQueryIdOf(extensions: unknown): string | null {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' && persisted.sha256Hash !== '' ? persisted.sha256Hash : null;
}

/**
 * What a GraphQL request body (POST JSON, or a GET's query parameters) says of itself, for an
 * event recorded before GraphQL runs (`record` of a 401 or 429): name, hashes, persisted id.
 */
export function requestFieldsOf(
  payload: unknown,
): Pick<AuditEventInput, 'operationName' | 'operationHash' | 'persistedQueryId' | 'variablesHash'> {
  const body = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const parsed = (value: unknown) => {
    // A GET carries variables and extensions as JSON text.
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return {
    operationName: typeof body['operationName'] === 'string' ? body['operationName'] : null,
    operationHash: typeof body['query'] === 'string' && body['query'] !== '' ? documentHash(body['query']) : null,
    persistedQueryId: persistedQueryIdOf(parsed(body['extensions'])),
    variablesHash: variablesHash(parsed(body['variables'])),
  };
}

const SURROGATE = /[\ud800-\udfff]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text the audit database can hold, within `max` UTF-16 units: NUL characters and unpaired
 * surrogates (which PostgreSQL text refuses, and a client may put in an operation name) become
 * U+FFFD, and a cut never splits a surrogate pair. Empty is null.
 */
function storable(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  // Nearly every value is plain ASCII within bounds: one quick test, no copy.
  if (value.length <= max && !value.includes('\u0000') && !SURROGATE.test(value)) return value;
  let text = value.replace(UNPAIRED_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd');
  if (text.length > max) {
    text = text.slice(0, max);
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  }
  return text;
}

function distinctSorted(values: readonly string[] | undefined, maxItems: number, maxLength: number): string[] {
  if (!values || values.length === 0) return [];
  const out = new Set<string>();
  for (const value of values) {
    const text = storable(value, maxLength);
    if (text !== null) out.add(text);
  }
  return [...out].sort().slice(0, maxItems);
}

const hashOrNull = (value: string | null | undefined) => (value && SHA256_HEX.test(value) ? value : null);

/** An event as sent: defaults filled, every field within the audit subgraph's bounds. */
export function toWire(event: AuditEventInput, gatewayId: string): AuditEventWire {
  const caller = event.caller && event.caller.subject !== null ? event.caller : null;
  const limits = AUDIT_FIELD_LIMITS;
  const subject = caller ? storable(caller.subject, limits.subject) : null;
  const agency = caller ? storable(caller.agency, limits.agency) : null;
  const country = caller?.country ?? null;
  // All three or none (a verified caller always has all three; the subgraph refuses a mix).
  const known = subject !== null && agency !== null && country !== null;
  const duration = Number.isFinite(event.durationMs) ? Math.min(Math.max(event.durationMs, 0), 86_400_000) : 0;
  return {
    id: event.id ?? randomUUID(),
    occurredAt: event.occurredAt.toISOString(),
    subject: known ? subject : null,
    agency: known ? agency : null,
    country: known ? country : null,
    operationName: storable(event.operationName, limits.operationName),
    operationHash: hashOrNull(event.operationHash),
    persistedQueryId: storable(event.persistedQueryId, limits.persistedQueryId),
    coordinates: distinctSorted(event.coordinates, limits.coordinates, limits.coordinate),
    variablesHash: hashOrNull(event.variablesHash),
    outcome: event.outcome,
    reason: storable(event.reason, limits.reason),
    errorCodes: distinctSorted(event.errorCodes, limits.errorCodes, limits.errorCode),
    durationMs: Math.round(duration * 1000) / 1000,
    gateway: storable(gatewayId, limits.gateway) ?? 'gateway',
  };
}

// ---------------------------------------------------------------------------------------------
// What a GraphQL request touched, and how it ended

/** Codes that mean the request was refused rather than failed. */
/** How a GraphQL answer ended (the rule shared with every service's metrics). */
export const classifyOutcome: (
  codes: readonly string[],
  executed: boolean,
  hasData: boolean,
) => { outcome: AuditOutcome; reason: string | null } = classifyGraphQLOutcome;

/** The fragments an operation spreads, directly or through other fragments. */
function reachableFragments(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) byName.set(definition.name.value, definition);
  }
  if (byName.size === 0) return [];
  const seen = new Map<string, FragmentDefinitionNode>();
  const pending: ASTNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const fragment = byName.get(node.name.value);
        if (fragment && !seen.has(node.name.value)) {
          seen.set(node.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...seen.values()];
}

/**
 * The schema coordinates (`Type.field`) an operation selects, sorted, each once: its own fields
 * and those of the fragments it spreads, by the type each is selected on (`__typename` left out;
 * `__schema` and `__type` kept, introspection is worth auditing). A field the schema does not
 * have (the operation failed validation) is left out.
 */
export function operationCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string[] {
  const coordinates = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field() {
      const parent = typeInfo.getParentType();
      const field = typeInfo.getFieldDef();
      if (parent && field && field.name !== '__typename') coordinates.add(`${parent.name}.${field.name}`);
    },
  });
  visit(operation, visitor);
  for (const fragment of reachableFragments(document, operation)) visit(fragment, visitor);
  return [...coordinates].sort();
}

/** Coordinates are the same for the same document and operation: kept per schema, the most used few thousand. */
const COORDINATE_CACHE_SIZE = 2000;
const coordinateCaches = new WeakMap<GraphQLSchema, Map<string, string[]>>();

function cachedCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  key: string | undefined,
): string[] {
  if (key === undefined) return operationCoordinates(schema, document, operation);
  let cache = coordinateCaches.get(schema);
  if (!cache) {
    cache = new Map();
    coordinateCaches.set(schema, cache);
  }
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const coordinates = operationCoordinates(schema, document, operation);
  cache.set(key, coordinates);
  if (cache.size > COORDINATE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return coordinates;
}

function callerOf(contextValue: unknown): Caller | null {
  const caller = (contextValue as { caller?: unknown } | undefined)?.caller;
  if (typeof caller !== 'object' || caller === null || !('subject' in caller)) return null;
  return caller as Caller;
}

/** The SHA-256 of the request's document (Apollo's `queryHash`, the APQ hash), null without one. */
function operationHashOf(context: GraphQLRequestContextWillSendResponse<BaseContext>): string | null {
  const source = context.source ?? context.request.query;
  const queryHash = context.queryHash && SHA256_HEX.test(context.queryHash) ? context.queryHash : undefined;
  return source ? (queryHash ?? documentHash(source)) : null;
}

/**
 * The schema coordinates a GraphQL request selects (`operationCoordinates`), cached per document
 * and operation. An operation that failed validation was never resolved by Apollo: found here, so
 * that what it tried to select is on record too.
 */
export function requestCoordinates(
  context: GraphQLRequestContextWillSendResponse<BaseContext>,
  operationHash: string | null = operationHashOf(context),
): string[] {
  const { request, document, operation, schema } = context;
  const selected = operation ?? (document ? getOperationAST(document, request.operationName) : null);
  if (!document || !selected) return [];
  return cachedCoordinates(
    schema,
    document,
    selected,
    operationHash ? `${operationHash}\u0000${selected.name?.value ?? ''}` : undefined,
  );
}

/** The event of one GraphQL request, from what Apollo knows of it when the answer is about to go out. */
export function eventOfRequest(
  context: GraphQLRequestContextWillSendResponse<BaseContext>,
  started: { id: string; occurredAt: Date },
  durationMs: number,
): AuditEventInput {
  const { request, response } = context;
  const body = response.body;
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  const errors = result.errors ?? [];
  const codes = errors.map((error) => {
    const code = error.extensions?.['code'];
    return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  });
  const executed = 'data' in result && result.data !== undefined;
  const { outcome, reason } = classifyOutcome(codes, executed, result.data != null);
  const operationHash = operationHashOf(context);
  const coordinates = requestCoordinates(context, operationHash);
  return {
    id: started.id,
    occurredAt: started.occurredAt,
    caller: callerOf(context.contextValue),
    operationName: context.operationName ?? request.operationName ?? null,
    operationHash,
    persistedQueryId: persistedQueryIdOf(request.extensions),
    coordinates,
    variablesHash: variablesHash(request.variables),
    outcome,
    reason,
    errorCodes: codes,
    durationMs,
  };
}

// ---------------------------------------------------------------------------------------------
// The spool: JSONL files of undelivered events

const SPOOL_FILE = /^(audit|rejected)-[\w.-]+\.jsonl$/;

/**
 * Writes events to a new spool file, durably: a temporary file, fsynced, then renamed into place
 * and the folder fsynced, so that a reader (a later trail) only ever sees whole files.
 */
function writeSpoolFile(dir: string, kind: 'audit' | 'rejected', events: readonly AuditEventWire[]): string {
  const name = `${kind}-${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`;
  const path = join(dir, name);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncFolder(dir);
  return path;
}

function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a folder; the rename itself is atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function spoolFiles(dir: string, kinds: readonly ('audit' | 'rejected')[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => SPOOL_FILE.test(name) && kinds.some((kind) => name.startsWith(`${kind}-`)))
    .sort()
    .map((name) => join(dir, name));
}

/** A spool file's events; a line that does not parse (a file edited by hand) is logged and left out. */
function readSpoolFile(path: string, logger: Logger): AuditEventWire[] {
  const events: AuditEventWire[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        events.push(JSON.parse(line) as AuditEventWire);
      } catch {
        logger.error({ file: path, line: index + 1 }, 'audit spool: a line is not JSON; it is left out');
      }
    });
  return events;
}

// ---------------------------------------------------------------------------------------------
// The trail

interface Pending {
  seq: number;
  event: AuditEventWire;
}

/** A FIFO of pending events that takes from the front without copying the rest. */
class Queue {
  private items: Pending[] = [];
  private head = 0;
  get length() {
    return this.items.length - this.head;
  }
  push(item: Pending) {
    this.items.push(item);
  }
  take(n: number): Pending[] {
    const taken = this.items.slice(this.head, this.head + n);
    this.head += taken.length;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }
  takeAll(): Pending[] {
    return this.take(this.length);
  }
}

type PostOutcome = 'stored' | 'retry' | 'refused';

/** Why a delivery stopped: `abandoned` when the stop deadline came first. */
type Delivery = 'delivered' | 'abandoned';

export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const { logger, signer, spoolDir } = options;
  const batchSize = Math.min(Math.max(Math.trunc(options.batchSize ?? 500), 1), MAX_AUDIT_BATCH);
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBuffered = Math.max(options.maxBuffered ?? 100_000, batchSize);
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const retryInitialMs = options.retryInitialMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const ingestUrl = new URL(AUDIT_INGEST_PATH, options.url).toString();
  mkdirSync(spoolDir, { recursive: true });

  const queue = new Queue();
  let seq = 0;
  /** Seqs recorded and not yet stored or spooled, in recording order (a Set keeps insertion order). */
  const unsettled = new Set<number>();
  const waiters: { upTo: number; resolve: () => void }[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let wakePump: (() => void) | undefined;
  /** Whether `stop` was called: the pump then sends at once, and ends when the buffer is empty. */
  let stopping = false;
  /** Aborted at `stop`'s deadline (less the margin kept for spooling): POSTs under way included. */
  const deadline = new AbortController();
  let stopped = false;
  let failures = 0;
  let spooledSinceRedelivery = false;
  let redelivery: Promise<void> | undefined;

  const settle = (items: readonly Pending[]) => {
    for (const item of items) unsettled.delete(item.seq);
    const oldest = unsettled.size === 0 ? Infinity : unsettled.values().next().value!;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!;
      if (waiter.upTo < oldest) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  };

  /** Spools events; if even that fails, they go to the log, the last durable place left. */
  const spool = (events: readonly AuditEventWire[], kind: 'audit' | 'rejected' = 'audit') => {
    if (events.length === 0) return;
    try {
      const file = writeSpoolFile(spoolDir, kind, events);
      if (kind === 'audit') spooledSinceRedelivery = true;
      logger.warn({ events: events.length, file }, 'audit events spooled to disk, to be sent later');
    } catch (error) {
      logger.error(
        { err: error, dir: spoolDir, events },
        'AUDIT EVENTS NOT DELIVERED: the spool could not be written; the events are in this log line',
      );
    }
  };

  const wake = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const resume = wakePump;
    wakePump = undefined;
    resume?.();
  };

  const record = (input: AuditEventInput) => {
    let event: AuditEventWire;
    try {
      event = toWire(input, options.gatewayId);
    } catch (error) {
      // A bug here must not lose the fact that a request happened.
      logger.error({ err: error }, 'audit event could not be built; recording what is known');
      event = toWire(
        { occurredAt: new Date(), caller: null, outcome: 'ERROR', reason: 'AUDIT_EVENT_BUILD_FAILED', durationMs: 0 },
        options.gatewayId,
      );
    }
    if (stopped) {
      spool([event]);
      return;
    }
    const item = { seq: ++seq, event };
    unsettled.add(item.seq);
    queue.push(item);
    if (queue.length > maxBuffered) {
      // The audit subgraph has not taken events for a while: memory is bounded, the disk is not.
      const spilled = queue.takeAll();
      spool(spilled.map((p) => p.event));
      settle(spilled);
      return;
    }
    if (queue.length >= batchSize || stopping) wake();
    else if (!timer) {
      timer = setTimeout(wake, flushIntervalMs);
      timer.unref();
    }
  };

  /** The first failure of an outage is a warning; the retries after it are debug lines. */
  const failed = (details: Record<string, unknown>, message: string) => {
    failures += 1;
    if (failures === 1) logger.warn({ ...details, failures }, message);
    else logger.debug({ ...details, failures }, message);
  };

  /** One POST; `refused` is the subgraph saying the batch itself is wrong (400, 413). */
  const post = async (events: readonly AuditEventWire[]): Promise<PostOutcome> => {
    const signal = AbortSignal.any([AbortSignal.timeout(requestTimeoutMs), deadline.signal]);
    try {
      const token = await signer.sign(ANONYMOUS, AUDIT_INGEST_AUDIENCE);
      const response = await fetch(ingestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ events }),
        signal,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const text = await response.text();
      if (response.ok) {
        if (failures > 0) logger.info({ failures }, 'audit subgraph takes events again');
        failures = 0;
        const answer = JSON.parse(text) as { stored?: unknown; alreadyPresent?: unknown };
        if (Number(answer.stored) + Number(answer.alreadyPresent) !== events.length) {
          logger.warn({ sent: events.length, answer }, 'audit subgraph accounted for a batch differently');
        }
        return 'stored';
      }
      if (response.status === 400 || response.status === 413) {
        logger.error(
          { status: response.status, body: text.slice(0, 2000), events: events.length },
          'audit subgraph refused a batch',
        );
        return 'refused';
      }
      failed({ status: response.status }, 'audit subgraph did not store a batch; retrying');
      return 'retry';
    } catch (error) {
      failed({ err: error }, 'audit subgraph unreachable; retrying');
      return 'retry';
    }
  };

  /** Backoffs under way (the pump's and the redelivery's), which `stop` cuts short. */
  const pauses = new Set<() => void>();

  /** Waits `ms`, or less if stopping begins (a stop retries at once) or its deadline comes. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(wait);
        deadline.signal.removeEventListener('abort', done);
        pauses.delete(done);
        resolve();
      };
      const wait = setTimeout(done, ms);
      deadline.signal.addEventListener('abort', done, { once: true });
      pauses.add(done);
    });

  const pastDeadline = () => deadline.signal.aborted;

  /**
   * Delivers a batch, retrying with backoff until it is stored, unless the stop deadline comes
   * first (`abandoned`: the caller spools it). A batch refused as malformed is split in halves
   * until the malformed events are alone; those are spooled as rejected.
   */
  const deliver = async (events: AuditEventWire[]): Promise<Delivery> => {
    let delay = retryInitialMs;
    for (;;) {
      if (pastDeadline()) return 'abandoned';
      const outcome = await post(events);
      if (outcome === 'stored') return 'delivered';
      if (outcome === 'refused') {
        if (events.length === 1) {
          spool(events, 'rejected');
          return 'delivered';
        }
        const half = Math.ceil(events.length / 2);
        const first = await deliver(events.slice(0, half));
        if (first === 'abandoned') return 'abandoned';
        return deliver(events.slice(half));
      }
      if (pastDeadline()) return 'abandoned';
      await pause(delay * (0.8 + Math.random() * 0.4));
      delay = Math.min(delay * 2, retryMaxMs);
    }
  };

  const redeliver = (kinds: readonly ('audit' | 'rejected')[]) => {
    if (redelivery) return;
    spooledSinceRedelivery = false;
    redelivery = (async () => {
      for (const file of spoolFiles(spoolDir, kinds)) {
        if (pastDeadline()) return;
        let events: AuditEventWire[];
        try {
          events = readSpoolFile(file, logger);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
            logger.error({ err: error, file }, 'audit spool file unreadable');
          continue;
        }
        for (let i = 0; i < events.length; i += batchSize) {
          // Abandoned: the file stays, whole, for the next trail (what was sent is not stored twice).
          if ((await deliver(events.slice(i, i + batchSize))) === 'abandoned') return;
        }
        try {
          unlinkSync(file);
          syncFolder(spoolDir);
        } catch (error) {
          // Another gateway sharing the folder sent it too (no event is stored twice).
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        logger.info({ file, events: events.length }, 'spooled audit events delivered');
      }
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'audit spool redelivery failed; the files stay'))
      .finally(() => {
        redelivery = undefined;
        // Spooled while this ran (another outage): their turn once the subgraph takes events again.
      });
  };

  const pump = (async () => {
    for (;;) {
      if (queue.length === 0) {
        if (stopping) return;
        await new Promise<void>((resolve) => {
          wakePump = resolve;
        });
        continue;
      }
      const batch = queue.take(batchSize);
      inFlight = batch.length;
      const delivery = await deliver(batch.map((p) => p.event));
      inFlight = 0;
      if (delivery === 'abandoned') {
        const rest = [...batch, ...queue.takeAll()];
        spool(rest.map((p) => p.event));
        settle(rest);
        return;
      }
      settle(batch);
      if (spooledSinceRedelivery && !stopping) redeliver(['audit']);
    }
  })().catch((error: unknown) => {
    // Nothing above throws; if it ever did, the buffer must still reach the disk.
    logger.error({ err: error }, 'audit delivery failed unexpectedly; spooling what is buffered');
    const rest = queue.takeAll();
    spool(rest.map((p) => p.event));
    settle(rest);
  });

  // What an earlier gateway left (stopped with the subgraph down, or more than it could buffer).
  redeliver(['audit', 'rejected']);

  /**
   * Requests answered whose events are still to be worked out. The hook only notes the request
   * and its duration; the event (hashes, coordinates, outcome) is built just after, once the
   * answer is on its way (`setImmediate`), so that a request waits for none of that work.
   */
  const unbuilt: {
    context: GraphQLRequestContextWillSendResponse<BaseContext>;
    id: string;
    occurredAt: Date;
    durationMs: number;
  }[] = [];
  let buildScheduled = false;

  const buildPending = () => {
    buildScheduled = false;
    for (const { context, id, occurredAt, durationMs } of unbuilt.splice(0)) {
      let event: AuditEventInput;
      try {
        event = eventOfRequest(context, { id, occurredAt }, durationMs);
      } catch (error) {
        // A bug here must not lose the fact that the request happened.
        logger.error({ err: error }, 'audit event of a request could not be worked out in full');
        event = {
          id,
          occurredAt,
          caller: callerOf(context.contextValue),
          outcome: 'ERROR',
          reason: 'AUDIT_EVENT_BUILD_FAILED',
          durationMs,
        };
      }
      record(event);
    }
  };

  const plugin: ApolloServerPlugin<BaseContext> = {
    requestDidStart: () => {
      const id = randomUUID();
      const occurredAt = new Date();
      const at = performance.now();
      return Promise.resolve({
        willSendResponse: (context) => {
          unbuilt.push({ context, id, occurredAt, durationMs: performance.now() - at });
          if (!buildScheduled) {
            buildScheduled = true;
            setImmediate(buildPending);
          }
          return Promise.resolve();
        },
      });
    },
  };

  let stopPromise: Promise<void> | undefined;

  return {
    record,
    plugin,
    get pending() {
      return unbuilt.length + queue.length + inFlight;
    },
    flush: () => {
      buildPending();
      if (unsettled.size === 0) return Promise.resolve();
      const upTo = seq;
      const done = new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
      wake();
      return done;
    },
    stop: (deadlineMs) => {
      stopPromise ??= (async () => {
        buildPending();
        // A little of the time is kept for spooling what could not be sent.
        const margin = Math.min(250, Math.max(deadlineMs, 0) * 0.1);
        stopping = true;
        const cutOff = setTimeout(() => deadline.abort(), Math.max(1, deadlineMs - margin));
        // A delivery waiting out a backoff tries again now, the pump sends what is buffered.
        for (const resume of [...pauses]) resume();
        wake();
        await pump;
        await redelivery;
        clearTimeout(cutOff);
        stopped = true;
        const late = queue.takeAll();
        spool(late.map((p) => p.event));
        settle(late);
      })();
      return stopPromise;
    },
  };
}
