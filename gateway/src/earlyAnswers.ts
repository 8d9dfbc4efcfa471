import { LANGUAGE_HEADER, negotiateLanguage, type Caller, type Language } from '@bicentennial/schema';
import type { Request, RequestHandler, Response } from 'express';
import Negotiator from 'negotiator';
import type { AuditTrail } from './audit';
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

/**
 * Answers a cached query before Apollo Server, on /graphql after authentication and rate
 * limiting: a hit is written from its stored body, as Apollo Server would have written it (the same
 * bytes, content type, cache headers and ETag), and is recorded the same way (its audit event with
 * the operation's name, hashes and coordinates, and its metrics). Nothing is parsed, validated or
 * planned again: an entry exists only for a request that Apollo Server ran in full and answered
 * without errors, and its key (`answerKey`) holds everything those steps depend on. Anything
 * else — not a POST of JSON, a batch, a miss, an expired or outdated entry, the store failing —
 * goes on to Apollo Server unchanged, with the lookup handed over (`priorLookup`) so that it is
 * not made twice.
 *
 * The key holds the request's language (its `Accept-Language` negotiated to EN or ES), and every
 * answer on /graphql, early or not, says that it depends on that header (`Vary: Accept-Language`,
 * added to whatever `Vary` cors set): an HTTP cache between the client and the gateway never
 * serves an English answer to a request for Spanish.
 */
export function earlyAnswers(options: {
  cache: Pick<ResponseCachePlugin, 'earlyAnswer'>;
  trail: Pick<AuditTrail, 'record'>;
  telemetry: Pick<GatewayTelemetry, 'answeredEarly'>;
}): RequestHandler {
  const { cache, trail, telemetry } = options;
  const answer = (res: Response, body: RawGraphQLRequest, caller: Caller, language: Language, contentType: string) =>
    cache.earlyAnswer(body, caller, language).then((result) => {
      if (result === null) return false;
      if (!result.hit) {
        res.locals['priorLookup'] = result.prior;
        return false;
      }
      const { hit } = result;
      res.status(200);
      res.set({
        'content-type': contentType,
        'cache-control': cacheControlHeader(hit.maxAge, caller.subject !== null),
        'x-cache': 'HIT',
        age: String(hit.age),
        etag: hit.etag,
        'content-length': String(hit.body.length),
      });
      res.end(hit.body);
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
    res.vary('Accept-Language');
    const body: unknown = req.body;
    if (
      req.method !== 'POST' ||
      !req.is('application/json') ||
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body)
    ) {
      next();
      return;
    }
    const contentType = contentTypeFor(req);
    if (contentType === null) {
      next();
      return;
    }
    const language = negotiateLanguage(req.get(LANGUAGE_HEADER));
    answer(res, body as RawGraphQLRequest, res.locals['caller'] as Caller, language, contentType).then(
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
