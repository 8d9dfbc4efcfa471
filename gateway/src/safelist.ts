import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode, hasScope, Scope, type Caller } from '@bicentennial/schema';
import type { Logger } from '@bicentennial/service';
import type { Request, RequestHandler, Response } from 'express';
import {
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { z } from 'zod';
import type { GatewayEnv } from './env';
import type { RefusedBeforeGraphQL } from './graphqlOverHttp';

/** One operation of the manifest: `id` is the SHA-256 of `body`, in hex. */
export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** The persisted operations the gateway runs for anyone, by id. */
export interface PersistedOperations {
  byId: ReadonlyMap<string, PersistedOperation>;
}

/** A manifest the gateway cannot use: it does not start with SAFELIST=enforce. */
export class PersistedOperationsLoadError extends Error {
  override readonly name = 'PersistedOperationsLoadError';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Apollo's persisted query manifest, version 1 (what `npm run operations` writes, and what
 * GraphOS and Apollo Router read). Fields Apollo may add to an operation are ignored.
 */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(SHA256_HEX, 'a sha256, hex'),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/**
 * The operations of a manifest's text, by id. Refused: anything but Apollo's manifest format,
 * version 1, and an id that is not the SHA-256 of its body (the gateway runs the body for the id:
 * the two must be one operation, as the response cache, the audit trail and APQ take them to be).
 */
export function parsePersistedOperations(text: string): PersistedOperations {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PersistedOperationsLoadError(`not JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new PersistedOperationsLoadError(
      `not an apollo-persisted-query-manifest, version 1: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  const byId = new Map<string, PersistedOperation>();
  for (const { id, name, type, body } of parsed.data.operations) {
    if (sha256(body) !== id) {
      throw new PersistedOperationsLoadError(`operation ${name} has id ${id}, not the sha256 of its body`);
    }
    byId.set(id, { id, name, type, body });
  }
  return { byId };
}

/** The manifest at `path` (PERSISTED_OPERATIONS_PATH); a missing or unusable file throws, naming it. */
export function loadPersistedOperations(path: string): PersistedOperations {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PersistedOperationsLoadError(
      code === 'ENOENT'
        ? `no persisted operations at ${path}: run \`npm run operations\`, set PERSISTED_OPERATIONS_PATH, or SAFELIST=off`
        : `cannot read the persisted operations at ${path}: ${code ?? String(error)}`,
    );
  }
  try {
    return parsePersistedOperations(text);
  } catch (error) {
    throw new PersistedOperationsLoadError(`${path} is ${(error as Error).message}`);
  }
}

const META_FIELDS = new Set(['__schema', '__type', '__typename']);

/**
 * Whether every operation of the document is a query that asks only `__schema`, `__type` and
 * `__typename` at its root (through fragments too): introspection, answered by the gateway
 * itself without any subgraph, and governed by `introspectionGuard` (access.ts) rather than the
 * safelist — GraphiQL's schema query, `npm run ingest -- --describe`, `{ __typename }`.
 */
export function onlyIntrospects(document: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const meta = (selections: readonly SelectionNode[]): boolean =>
    selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return META_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return meta(selection.selectionSet.selections);
      const fragment = fragments.get(selection.name.value);
      if (!fragment) return false;
      if (seen.has(fragment.name.value)) return true;
      seen.add(fragment.name.value);
      return meta(fragment.selectionSet.selections);
    });
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every(
      (operation) => operation.operation === OperationTypeNode.QUERY && meta(operation.selectionSet.selections),
    )
  );
}

/** One operation of a request, as Apollo Server reads it: its `query` field and its `extensions`. */
export interface OperationRequest {
  query: unknown;
  extensions: unknown;
}

/** What the safelist says of one operation of a request. */
export type SafelistVerdict =
  | {
      allowed: true;
      /** By id: the manifest's body, to put in as the request's `query` (it sent none). */
      body?: string;
      /** The persisted operation it runs, when it is one. */
      operation?: PersistedOperation;
    }
  | { allowed: false; code: string; message: string };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the safelist says of one operation of a request, from `caller`:
 * - an `extensions.persistedQuery.sha256Hash` that is a manifest id runs that operation, for
 *   anyone: without a `query`, the manifest's body is put in (`body`), so that nothing depends
 *   on Apollo's APQ cache holding it;
 * - a `query` whose SHA-256 is a manifest id is that operation, for anyone;
 * - a hash sent with a `query` that does not hash to it is refused (`BAD_REQUEST`), whoever asks;
 * - anything else runs only for a caller with graph:analyze: other callers are refused, with
 *   `PERSISTED_QUERY_NOT_IN_LIST` for a hash (running or registering an APQ) and
 *   `QUERY_NOT_IN_SAFELIST` for a document, except a document that only introspects
 *   (`onlyIntrospects`), which is left to `introspectionGuard`;
 * - a request with neither a `query` nor a hash runs nothing: Apollo Server refuses it.
 * Documents are parsed (only for a caller without graph:analyze, and only when they are no
 * manifest operation) with the token limit Apollo Server parses with.
 */
export function safelistVerdict(
  request: OperationRequest,
  caller: Caller,
  operations: PersistedOperations,
  parseOptions: { maxTokens?: number } = {},
  /** SAFELIST=off: manifest ids still run by id, and any other operation runs for anyone. */
  enforced = true,
): SafelistVerdict {
  const persisted = isPlainObject(request.extensions) ? request.extensions['persistedQuery'] : undefined;
  const hash = isPlainObject(persisted) && typeof persisted['sha256Hash'] === 'string' ? persisted['sha256Hash'] : null;
  const text = typeof request.query === 'string' ? request.query : null;
  const textHash = text === null ? null : sha256(text);
  if (hash !== null && textHash !== null && hash !== textHash) {
    return {
      allowed: false,
      code: 'BAD_REQUEST',
      message:
        'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it: send a persisted ' +
        "operation's id alone, or the query with its own hash.",
    };
  }
  const id = hash ?? textHash;
  const operation = id === null ? undefined : operations.byId.get(id);
  if (operation) {
    const byId = request.query === undefined || request.query === null;
    return { allowed: true, operation, ...(byId ? { body: operation.body } : {}) };
  }
  if (!enforced || hasScope(caller, Scope.ANALYST)) return { allowed: true };
  const who = caller.subject === null ? 'send a bearer token with' : 'use a token with';
  if (hash !== null) {
    return {
      allowed: false,
      code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
      message:
        `Persisted query ${SHA256_HEX.test(hash) ? hash : '(not a SHA-256)'} is not in this graph's list of ` +
        'persisted operations, and only a caller with ' +
        `the ${Scope.ANALYST} scope may run or register any other: send the id of an operation of the list ` +
        `(extensions.persistedQuery.sha256Hash), or ${who} ${Scope.ANALYST}.`,
    };
  }
  if (text === null) return { allowed: true };
  let document: DocumentNode | undefined;
  try {
    document = parse(text, { noLocation: true, ...parseOptions });
  } catch {
    document = undefined;
  }
  if (document && onlyIntrospects(document)) return { allowed: true };
  return {
    allowed: false,
    code: ErrorCode.QUERY_NOT_IN_SAFELIST,
    message:
      "This operation is not one of this graph's persisted operations, and only a caller with the " +
      `${Scope.ANALYST} scope may run any other: send a persisted operation by its id ` +
      '(extensions.persistedQuery.sha256Hash) or its exact body, as the list of persisted operations ' +
      `holds it, or ${who} ${Scope.ANALYST}.`,
  };
}

/** A batch's item that is no operation at all: Apollo Server refuses it (400), running nothing. */
const NOT_AN_OPERATION: SafelistVerdict = { allowed: true };

/** A GET parameter Apollo Server reads (given once; twice, it refuses the request itself). */
function searchParameter(search: URLSearchParams, name: string): string | undefined {
  const values = search.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

function jsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a request with one error per refused operation (a batch names each by `index`): 400 for
 * a hash that does not match its query (whoever asks, a malformed request), else 401 for the
 * public (with `WWW-Authenticate: Bearer`: a token with graph:analyze is the way in) and 403 for a
 * verified caller without the scope. The same status under every media type: like the other
 * access refusals (401, 403, 429), this is not a GraphQL request error that
 * application/json answers with 200 (graphqlOverHttp.ts); nothing was run.
 */
function refuse(
  req: Request,
  res: Response,
  refusals: { index: number; code: string; message: string }[],
  batched: boolean,
  caller: Caller,
  refused: RefusedBeforeGraphQL,
): void {
  const malformed = refusals.some((r) => r.code === 'BAD_REQUEST');
  refused(req, res, refusals[0]!.code);
  const status = malformed ? 400 : caller.subject === null ? 401 : 403;
  if (status === 401) res.set('WWW-Authenticate', 'Bearer');
  res.status(status).json({
    errors: refusals.map(({ index, code, message }) => ({
      message: batched ? `Operation ${index + 1} of the batch (none of which was run): ${message}` : message,
      extensions: batched ? { code, index } : { code },
    })),
  });
}

/**
 * Express middleware for an endpoint that runs operations (`/graphql`, after authentication and
 * the batch limit, before the response cache's early answers so that no stored answer reaches a
 * request the safelist refuses): `safelistVerdict` for every operation of a POST (each of a
 * batch: one refused refuses the whole batch, none of it runs) or of a GET, refused through
 * `refused` (audited and counted) before anything runs. An operation sent by id gets the
 * manifest's body as its `query`, in the body or the GET's query string. With `enforced: false`
 * (SAFELIST=off) nothing is refused for not being on the list; operations sent by id still get
 * their bodies, so a manifest id runs in every profile and on every worker, whatever APQ holds.
 */
export function safelist(options: {
  operations: PersistedOperations;
  refused: RefusedBeforeGraphQL;
  parseOptions?: { maxTokens?: number };
  enforced?: boolean;
}): RequestHandler {
  const { operations, refused, parseOptions } = options;
  const enforced = options.enforced ?? true;
  return (req, res, next) => {
    const caller = res.locals['caller'] as Caller;
    if (req.method === 'POST') {
      const body: unknown = req.body;
      const batched = Array.isArray(body);
      const items: unknown[] = batched ? body : [body];
      const verdicts = items.map((item) =>
        isPlainObject(item)
          ? safelistVerdict(
              { query: item['query'], extensions: item['extensions'] },
              caller,
              operations,
              parseOptions,
              enforced,
            )
          : NOT_AN_OPERATION,
      );
      const refusals = verdicts.flatMap((verdict, index) => (verdict.allowed ? [] : [{ index, ...verdict }]));
      if (refusals.length > 0) {
        refuse(req, res, refusals, batched, caller, refused);
        return;
      }
      verdicts.forEach((verdict, index) => {
        if (verdict.allowed && verdict.body !== undefined)
          (items[index] as Record<string, unknown>)['query'] = verdict.body;
      });
      next();
      return;
    }
    if (req.method === 'GET') {
      const at = req.url.indexOf('?');
      const search = new URLSearchParams(at === -1 ? '' : req.url.slice(at + 1));
      const verdict = safelistVerdict(
        { query: searchParameter(search, 'query'), extensions: jsonOrUndefined(searchParameter(search, 'extensions')) },
        caller,
        operations,
        parseOptions,
        enforced,
      );
      if (!verdict.allowed) {
        refuse(req, res, [{ index: 0, ...verdict }], false, caller, refused);
        return;
      }
      if (verdict.body !== undefined && search.getAll('query').length === 0) {
        search.set('query', verdict.body);
        req.url = `${at === -1 ? req.url : req.url.slice(0, at)}?${search.toString()}`;
      }
    }
    next();
  };
}

/**
 * The safelist of the settings: with SAFELIST=enforce the middleware over the manifest at
 * PERSISTED_OPERATIONS_PATH (read once, at start: a missing or invalid one stops the gateway);
 * with SAFELIST=off one that refuses nothing for not being on the list but still runs the
 * manifest's operations by id (a missing or invalid manifest is then logged, and only APQ applies).
 */
export function safelistOf(
  env: Pick<GatewayEnv, 'SAFELIST' | 'PERSISTED_OPERATIONS_PATH' | 'QUERY_MAX_TOKENS'>,
  logger: Logger,
  refused: RefusedBeforeGraphQL,
): RequestHandler {
  const parseOptions = { maxTokens: env.QUERY_MAX_TOKENS };
  if (env.SAFELIST === 'off') {
    let listed: PersistedOperations;
    try {
      listed = loadPersistedOperations(env.PERSISTED_OPERATIONS_PATH);
    } catch (error) {
      logger.warn(
        { reason: (error as Error).message },
        'persisted operations not loaded: with SAFELIST=off only APQ runs operations by hash',
      );
      return (_req, _res, next) => next();
    }
    logger.info(
      { path: env.PERSISTED_OPERATIONS_PATH, operations: listed.byId.size },
      'safelist off: any operation runs; persisted operations also run by id',
    );
    return safelist({ operations: listed, refused, parseOptions, enforced: false });
  }
  const operations = loadPersistedOperations(env.PERSISTED_OPERATIONS_PATH);
  logger.info(
    { path: env.PERSISTED_OPERATIONS_PATH, operations: operations.byId.size },
    'safelist enforced: persisted operations for every caller, any other operation for graph:analyze only',
  );
  return safelist({ operations, refused, parseOptions });
}
