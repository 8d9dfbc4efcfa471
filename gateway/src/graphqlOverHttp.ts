import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import { ErrorCode } from '@bicentennial/schema';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import Negotiator from 'negotiator';

const APPLICATION_JSON = 'application/json; charset=utf-8';
const APPLICATION_GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
const APPLICATION_JSON_GRAPHQL_CALLBACK = 'application/json; callbackSpec=1.0; charset=utf-8';

/**
 * The codes of GraphQL request errors: the request was a well-formed GraphQL-over-HTTP request
 * (a JSON body or GET parameters with a `query`), but its document does not parse, does not
 * validate (the query limits are validation rules of this server), names no operation it holds, or
 * its variables do not fit their types. Nothing was executed: the answer has no `data`.
 */
const REQUEST_ERROR_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.TOKEN_LIMIT_EXCEEDED,
  ErrorCode.DEPTH_LIMIT_EXCEEDED,
  ErrorCode.ALIAS_LIMIT_EXCEEDED,
  ErrorCode.DIRECTIVE_LIMIT_EXCEEDED,
  ErrorCode.FIELD_LIMIT_EXCEEDED,
  ErrorCode.INTROSPECTION_LIMIT_EXCEEDED,
  ErrorCode.INTROSPECTION_DEPTH_LIMIT_EXCEEDED,
  ErrorCode.COST_ESTIMATED_TOO_EXPENSIVE,
]);

/** The media type Apollo Server writes a single result in for this Accept header (none: JSON). */
function resultMediaType(accept: string | undefined): string | null {
  if (!accept) return APPLICATION_JSON;
  return (
    new Negotiator({ headers: { accept } }).mediaType([
      APPLICATION_JSON,
      APPLICATION_GRAPHQL_RESPONSE_JSON,
      APPLICATION_JSON_GRAPHQL_CALLBACK,
    ]) ?? null
  );
}

/**
 * HTTP status codes as the GraphQL-over-HTTP specification (draft) gives them, by the media type
 * the answer is written in. `application/graphql-response+json`: a request error (parse, validation,
 * a query limit, variable coercion: no `data`) is 400, as Apollo Server answers it. `application/json`
 * (and a request without `Accept`, which the specification reads as JSON): the server SHOULD
 * answer 200 to every well-formed request whatever its GraphQL errors, so those same request
 * errors are 200, with the same body. Not changed: a request that is not a well-formed
 * GraphQL-over-HTTP request (a body that is not JSON, no `query`: 400 BAD_REQUEST; a body over
 * BODY_LIMIT: 413; a batch over QUERY_MAX_BATCH: 400), nor a refusal that is not about the
 * document (401, 403, 405 for a mutation over GET, 406, 429). A persisted query the gateway does not
 * hold keeps Apollo Server's 200 for both media types: that is how APQ clients know to send the
 * query, as the APQ protocol expects. A batch (which the specification does not define) shares one
 * status for all its answers: once run it is 200, each answer carrying its own errors.
 */
export function graphqlOverHttpStatus(): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        // A document whose operation cannot be determined (several without an operationName, or
        // none of that name) is a request error; @apollo/gateway would answer it 500 INVALID_GRAPHQL.
        didResolveOperation: ({ document, operation, request }) => {
          if (operation) return Promise.resolve();
          const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
          const message = request.operationName
            ? `Unknown operation named "${request.operationName}".`
            : operations > 1
              ? 'Must provide operation name if query contains multiple operations.'
              : 'The document contains no operation.';
          throw new GraphQLError(message, {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
          });
        },
        willSendResponse: ({ request, response, requestIsBatched }) => {
          if (response.http.status !== 400 || response.body.kind !== 'single') return Promise.resolve();
          const { singleResult } = response.body;
          if (singleResult.data !== undefined || !singleResult.errors?.length) return Promise.resolve();
          const requestErrors = singleResult.errors.every((error) => {
            const code = error.extensions?.['code'];
            return typeof code === 'string' && REQUEST_ERROR_CODES.has(code);
          });
          const mediaType = resultMediaType(request.http?.headers.get('accept'));
          const json = mediaType === APPLICATION_JSON || mediaType === APPLICATION_JSON_GRAPHQL_CALLBACK;
          // A batch shares one status: once run, it is 200, each answer with its own errors.
          if (requestErrors && (json || requestIsBatched)) {
            response.http.status = 200;
          }
          return Promise.resolve();
        },
      }),
  };
}

/** Told of a request refused before GraphQL, with its code (its audit event and metrics). */
export type RefusedBeforeGraphQL = (req: Request, res: Response, code: string) => void;

/**
 * A body over BODY_LIMIT (express.json refuses it): 413 with one error BODY_TOO_LARGE and the
 * limit in bytes. Any other error goes on to the app's JSON error handler.
 */
export function bodyTooLarge(limitBytes: number, refused: RefusedBeforeGraphQL): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if ((error as { type?: unknown }).type !== 'entity.too.large' || res.headersSent) {
      next(error);
      return;
    }
    refused(req, res, ErrorCode.BODY_TOO_LARGE);
    res.status(413).json({
      errors: [
        {
          message: `The request body is larger than ${limitBytes} bytes, the limit (BODY_LIMIT).`,
          extensions: { code: ErrorCode.BODY_TOO_LARGE, limit: limitBytes },
        },
      ],
    });
  };
}

/**
 * A batch (a JSON array of operations in one POST, Apollo Server's `allowBatchedHttpRequests`)
 * of more than `max` operations: 400 with one error BATCH_LIMIT_EXCEEDED and the limit, before any
 * of them runs. Each operation of a smaller batch is limited, answered and audited on its own.
 */
export function batchLimit(max: number, refused: RefusedBeforeGraphQL): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (req.method !== 'POST' || !Array.isArray(body) || body.length <= max) {
      next();
      return;
    }
    refused(req, res, ErrorCode.BATCH_LIMIT_EXCEEDED);
    res.status(400).json({
      errors: [
        {
          message: `The batch has ${body.length} operations, more than the limit of ${max} (QUERY_MAX_BATCH): none of them was run.`,
          extensions: { code: ErrorCode.BATCH_LIMIT_EXCEEDED, limit: max },
        },
      ],
    });
  };
}

/** How deep a request's JSON may nest (the body, or a GET's `variables` and `extensions`). */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects and arrays more than `max` levels deep (walked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** A GET parameter holding JSON (`variables`, `extensions`), parsed; undefined when absent or not JSON. */
function jsonParameter(req: Request, name: string): unknown {
  const text: unknown = req.query[name];
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * JSON nested more than MAX_JSON_DEPTH levels (a POST body, a GET's `variables` or `extensions`):
 * 400 with one error JSON_DEPTH_LIMIT_EXCEEDED and the limit, before anything walks it (JSON.parse
 * reads any depth, but what walks it again recursively — the request's variables hash for the audit
 * trail, the response cache's key, Apollo Server's processing — can run out of stack: 100,000 levels
 * of variables were answered 500, "Unexpected error processing request: RangeError"). No
 * operation needs more: the deepest input of the graph is a few levels. Runs before authentication,
 * so its audit event has no caller, and the request as recorded keeps only its query and name.
 */
export function jsonDepthLimit(refused: RefusedBeforeGraphQL): RequestHandler {
  return (req, res, next) => {
    const tooDeep =
      req.method === 'GET'
        ? nestsDeeperThan(jsonParameter(req, 'variables'), MAX_JSON_DEPTH - 1) ||
          nestsDeeperThan(jsonParameter(req, 'extensions'), MAX_JSON_DEPTH - 1)
        : nestsDeeperThan(req.body, MAX_JSON_DEPTH);
    if (!tooDeep) {
      next();
      return;
    }
    // What the audit event may read of the request: never the deep part.
    const source: unknown = req.method === 'GET' ? req.query : req.body;
    const { query, operationName } = (typeof source === 'object' && source !== null ? source : {}) as Record<
      string,
      unknown
    >;
    const shallow = {
      ...(typeof query === 'string' ? { query } : {}),
      ...(typeof operationName === 'string' ? { operationName } : {}),
    };
    if (req.method === 'GET') Object.defineProperty(req, 'query', { value: shallow });
    else req.body = shallow;
    refused(req, res, ErrorCode.JSON_DEPTH_LIMIT_EXCEEDED);
    res.status(400).json({
      errors: [
        {
          message: `The request's JSON is nested more than ${MAX_JSON_DEPTH} levels deep, the limit: it was not read.`,
          extensions: { code: ErrorCode.JSON_DEPTH_LIMIT_EXCEEDED, limit: MAX_JSON_DEPTH },
        },
      ],
    });
  };
}
