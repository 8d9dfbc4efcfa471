import { LANGUAGE_HEADER, negotiateLanguage, type Caller, type Language } from '@bicentennial/schema';
import type { Request, RequestHandler, Response } from 'express';
import Negotiator from 'negotiator';
import type { AuditTrail } from './audit';
import { negotiateEncoding, type EncodedBodies } from './encodedBodies';
import { persistedQueryIdOf, variablesHash } from './audit';
import { cacheControlHeader, type RawGraphQLRequest, type ResponseCachePlugin } from './responseCache';
import type { GatewayTelemetry } from './telemetry';

/** The single-result media types Apollo Server answers with (its MEDIA_TYPES), in its order of preference. */
const APPLICATION_JSON = 'application/json; charset=utf-8';
const APPLICATION_GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
const APPLICATION_JSON_GRAPHQL_CALLBACK = 'application/json; callbackSpec=1.0; charset=utf-8';

/**
 * The content type Apollo Server answers a single result with for this request's `Accept` (its
 * `chooseContentTypeForSingleResultResponse`): JSON without an `Accept`, else the preferred of
 * JSON, graphql-response+json and JSON with the callback parameter; null when none is acceptable.
 */
export function singleResultMediaType(req: Request): string | null {
  const accept = req.headers.accept;
  if (!accept) return APPLICATION_JSON;
  const preferred = new Negotiator(req).mediaType([
    APPLICATION_JSON,
    APPLICATION_GRAPHQL_RESPONSE_JSON,
    APPLICATION_JSON_GRAPHQL_CALLBACK,
  ]);
  return preferred ?? null;
}

/**
 * The content type this path writes for the request (JSON, or graphql-response+json); null for
 * anything else (the callback variant), which is left to Apollo Server.
 */
function contentTypeFor(req: Request): string | null {
  const preferred = singleResultMediaType(req);
  return preferred === APPLICATION_JSON || preferred === APPLICATION_GRAPHQL_RESPONSE_JSON ? preferred : null;
}

/** The headers of which one, non-empty, lets a GET through Apollo Server's CSRF prevention (its defaults). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * The GraphQL request a POST of JSON or a GET carries, or null for anything this path leaves to
 * Apollo Server: another method or body, a batch, a GET whose `variables` or `extensions` are not
 * JSON, and a GET that Apollo Server's CSRF prevention would refuse (a GET is a "simple" request a
 * browser sends cross-site without asking: it must carry one of `PREFLIGHT_HEADERS`, which no such
 * request can). What Apollo Server then answers, a hit or not, is its own.
 */
function requestOf(req: Request): RawGraphQLRequest | null {
  if (req.method === 'POST') {
    const body: unknown = req.body;
    if (!req.is('application/json') || typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    return body;
  }
  if (req.method !== 'GET' || !PREFLIGHT_HEADERS.some((name) => (req.get(name) ?? '') !== '')) return null;
  const params = req.query as Record<string, unknown>;
  const json = (name: string): { ok: boolean; value?: unknown } => {
    const text = params[name];
    if (text === undefined) return { ok: true };
    if (typeof text !== 'string') return { ok: false };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false };
    }
  };
  const variables = json('variables');
  const extensions = json('extensions');
  const { query, operationName } = params;
  if (!variables.ok || !extensions.ok) return null;
  if (
    (query !== undefined && typeof query !== 'string') ||
    (operationName !== undefined && typeof operationName !== 'string')
  ) {
    return null;
  }
  return { query, operationName, variables: variables.value, extensions: extensions.value };
}

/**
 * Answers a cached query before Apollo Server, on /graphql after authentication and rate
 * limiting: a hit is written from its stored body, as Apollo Server would have written it (the same
 * bytes, content type, cache headers and ETag), and is recorded the same way (its audit event with
 * the operation's name, hashes and coordinates, and its metrics). Nothing is parsed, validated or
 * planned again: an entry exists only for a request that Apollo Server ran in full and answered
 * without errors, and its key (`answerKey`) holds everything those steps depend on. Anything
 * else — not a POST of JSON or a GET that passes CSRF prevention (`requestOf`), a batch, a miss,
 * an expired or outdated entry, the store failing —
 * goes on to Apollo Server unchanged, with the lookup handed over (`priorLookup`) so that it is
 * not made twice.
 *
 * The key holds the request's language (its `Accept-Language` negotiated to EN or ES), and every
 * answer on /graphql, early or not, says that it depends on that header and on `Accept` (the
 * media type, and with it the status of a request error, follows `Accept`): `Vary: Accept,
 * Accept-Language`, added to whatever `Vary` cors set. An HTTP cache between the client and the
 * gateway never serves an English answer to a request for Spanish, nor an
 * `application/graphql-response+json` answer to a client that asked for `application/json`.
 * `Authorization` too: the public's answers are `public` (a shared cache may keep them), and one
 * must not be given to a verified caller, whose answer may hold more.
 */
export function earlyAnswers(options: {
  cache: Pick<ResponseCachePlugin, 'earlyAnswer'>;
  trail: Pick<AuditTrail, 'record'>;
  telemetry: Pick<GatewayTelemetry, 'answeredEarly'>;
  /**
   * RESPONSE_COMPRESSION=on: a hit is sent compressed as the client accepts, from bodies
   * compressed once per process (encodedBodies.ts), not by `compression` on every hit.
   */
  encoded?: EncodedBodies | undefined;
}): RequestHandler {
  const { cache, trail, telemetry, encoded } = options;
  const answer = (
    req: Request,
    res: Response,
    body: RawGraphQLRequest,
    caller: Caller,
    language: Language,
    contentType: string,
  ) =>
    cache.earlyAnswer(body, caller, language).then(async (result) => {
      if (result === null) return false;
      if (!result.hit) {
        res.locals['priorLookup'] = result.prior;
        return false;
      }
      const { hit } = result;
      const encoding = encoded ? negotiateEncoding(req, hit.body.length) : null;
      const sent = encoding && encoded ? await encoded.get(encoding, hit.etag, hit.body) : hit.body;
      res.status(200);
      res.set({
        'content-type': contentType,
        'cache-control': cacheControlHeader(hit.maxAge, caller.subject !== null),
        'x-cache': 'HIT',
        age: String(hit.age),
        // The ETag of the JSON, whatever the encoding, as `compression` leaves it on a miss.
        etag: hit.etag,
        'content-length': String(sent.length),
        ...(encoding ? { 'content-encoding': encoding } : {}),
      });
      if (encoded) res.vary('Accept-Encoding');
      res.end(sent);
      const durationMs = performance.now() - (res.locals['arrived'] as number);
      telemetry.answeredEarly(hit.operation.name, durationMs / 1000);
      trail.record({
        occurredAt: res.locals['arrivedAt'] as Date,
        caller,
        operationName: hit.operation.name,
        operationHash: hit.queryHash,
        persistedQueryId: persistedQueryIdOf(body.extensions),
        coordinates: hit.operation.coordinates,
        variablesHash: variablesHash(body.variables),
        outcome: 'OK',
        reason: null,
        errorCodes: [],
        durationMs,
      });
      return true;
    });

  return (req, res, next) => {
    res.vary('Accept');
    res.vary('Accept-Language');
    res.vary('Authorization');
    const body = requestOf(req);
    if (body === null) {
      next();
      return;
    }
    const contentType = contentTypeFor(req);
    if (contentType === null) {
      next();
      return;
    }
    const language = negotiateLanguage(req.get(LANGUAGE_HEADER));
    answer(req, res, body, res.locals['caller'] as Caller, language, contentType).then(
      (answered) => {
        if (!answered) next();
      },
      // Nothing was written: Apollo Server answers it (and meets whatever failed here itself).
      () => {
        if (!res.headersSent) next();
      },
    );
  };
}
