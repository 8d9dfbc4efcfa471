import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ErrorCode, hasScope, Scope, type Caller } from '@bicentennial/schema';
import {
  createFormatError,
  ensureDevelopmentKeys,
  jsonErrorHandler,
  jsonNotFound,
  type Logger,
} from '@bicentennial/service';
import compression from 'compression';
import cors from 'cors';
import express from 'express';
import { Agent } from 'undici';
import { ANONYMOUS } from '@bicentennial/schema';
import { authenticate, AuthorizingGateway, introspectionGuard, loadGatewayKeys, type GatewayContext } from './access';
import { SubgraphDataSource, keepAliveFetcher } from './dataSource';
import { dedupingFetcher } from './fetchDedupe';
import { createAuditTrail, requestCoordinates, requestFieldsOf, type AuditTrail } from './audit';
import { earlyAnswers, singleResultMediaType } from './earlyAnswers';
import { COMPRESSION_THRESHOLD_BYTES, EncodedBodies } from './encodedBodies';
import { createRateLimiter } from './rateLimit';
import { safelistOf } from './safelist';
import type { PriorLookup, VersionPeers } from './responseCache';
import { createResponseCache } from './responseCacheSetup';
import { bodyLimitBytes, type GatewayEnv } from './env';
import { csvExport } from './csv';
import { explainHandler } from './explain';
import { dashboardRouter } from './dashboard/routes';
import { ideRouter } from './ide/routes';
import { queryLimits } from './limits';
import { batchLimit, bodyTooLarge, graphqlOverHttpStatus, jsonDepthLimit } from './graphqlOverHttp';
import { SubgraphStatusMonitor } from './status';
import { recordCacheLookup, setSubgraphBreakerState, startGatewayTelemetry, tracedFetcher } from './telemetry';
import { loadSupergraph, subgraphUrl, supergraphFromFile } from './supergraph';

export interface RunningGateway {
  url: string;
  httpServer: Server;
  monitor: SubgraphStatusMonitor;
  /** The audit trail's delivery (events buffered, `flush()` to wait for them). */
  audit: AuditTrail;
  /** `GET /metrics` on the metrics listener, when METRICS_PORT is set (README, Telemetry). */
  metricsUrl: string | undefined;
  /** Stops taking requests, finishes in-flight ones, closes subgraph connections. */
  stop(): Promise<void>;
}

/**
 * Where the audit events go: AUDIT_URL, else the audit subgraph of the supergraph (its
 * SUBGRAPH_URL_AUDIT override or routing URL). Every operation is audited: a supergraph without an
 * audit subgraph and no AUDIT_URL is refused at start.
 */
function auditUrl(env: GatewayEnv): string {
  if (env.AUDIT_URL) return env.AUDIT_URL;
  const audit = loadSupergraph(env.SUPERGRAPH_PATH, env.subgraphUrls).subgraphs.find((s) => s.name === 'audit');
  if (!audit)
    throw new Error('the supergraph has no audit subgraph and AUDIT_URL is not set: nothing could be audited');
  return audit.url;
}

/**
 * The one public endpoint: Apollo Server over @apollo/gateway with the composed supergraph from a
 * file (never introspection), on Express 5 with `/graphql`, `/health`, `/ready` and
 * `/status/subgraphs`. Fails to start when the supergraph file is missing or invalid.
 */
export async function startGateway(
  env: GatewayEnv,
  logger: Logger,
  options: {
    /** The other workers of this gateway (workers.ts), kept in step on the response cache's data versions. */
    versionPeers?: VersionPeers;
  } = {},
): Promise<RunningGateway> {
  // Tracing (when configured) before anything that traces; request and subgraph metrics.
  const telemetry = await startGatewayTelemetry(env, logger);
  // One keep-alive pool for every subgraph fetch and health probe.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  // Identical reads in flight share one request (fetchDedupe.ts); each still gets its own span.
  const fetcher = tracedFetcher(dedupingFetcher(keepAliveFetcher(dispatcher, env.SUBGRAPH_TIMEOUT_MS)), telemetry);
  const keys = await loadGatewayKeys(env, logger);
  const trail = createAuditTrail({
    url: auditUrl(env),
    signer: keys.signer,
    logger,
    gatewayId: `${hostname()}-${process.pid}`,
    spoolDir: env.AUDIT_SPOOL_DIR,
    batchSize: env.AUDIT_BATCH_SIZE,
    flushIntervalMs: env.AUDIT_FLUSH_INTERVAL_MS,
    maxBuffered: env.AUDIT_MAX_BUFFERED,
    dispatcher,
  });
  const monitor = new SubgraphStatusMonitor({
    intervalMs: env.STATUS_POLL_INTERVAL_MS,
    timeoutMs: env.STATUS_PROBE_TIMEOUT_MS,
    dispatcher,
    logger,
    authorization: async (name) => `Bearer ${await keys.signer.sign(ANONYMOUS, name)}`,
  });
  let loaded = false;

  // @apollo/gateway reports usage to Apollo's servers unless this is set when it is constructed;
  // these networks are closed and the data sensitive, so it is never optional.
  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  const apolloGateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile({
      path: env.SUPERGRAPH_PATH,
      watch: env.SUPERGRAPH_WATCH,
      pollIntervalMs: env.SUPERGRAPH_POLL_INTERVAL_MS,
      overrides: env.subgraphUrls,
      logger,
      onServing: (supergraph) => {
        telemetry.servingSubgraphs(supergraph.subgraphs);
        monitor.setSubgraphs(supergraph.subgraphs);
        loaded = true;
      },
    }),
    // @apollo/gateway builds a subgraph's data source while it takes a supergraph, before anything
    // is told of the switch: the override is looked up here, so a subgraph added by a changed file
    // is routed to its override from its first request.
    buildService: ({ name, url }) =>
      new SubgraphDataSource(
        name,
        subgraphUrl(name, url, env.subgraphUrls),
        fetcher,
        monitor,
        logger,
        env.SUBGRAPH_TIMEOUT_MS,
        keys.signer,
        {
          retryAttempts: env.SUBGRAPH_RETRY_ATTEMPTS,
          retryBackoffMs: env.SUBGRAPH_RETRY_BACKOFF_MS,
          retryBudgetPercent: env.SUBGRAPH_RETRY_BUDGET_PERCENT,
          retryBudgetMin: env.SUBGRAPH_RETRY_BUDGET_MIN,
          attemptTimeoutMs: env.SUBGRAPH_ATTEMPT_TIMEOUT_MS,
          breakerThreshold: env.SUBGRAPH_BREAKER_THRESHOLD,
          breakerHalfOpenAfterMs: env.SUBGRAPH_BREAKER_HALF_OPEN_AFTER_MS,
          onBreakerStateChange: setSubgraphBreakerState,
        },
      ),
    logger,
  });
  const gateway = new AuthorizingGateway(apolloGateway);
  const responseCache = createResponseCache(env, logger, apolloGateway, {
    ...(options.versionPeers ? { peers: options.versionPeers } : {}),
    onLookup: recordCacheLookup,
    coordinatesOf: requestCoordinates,
  });

  const app = express();
  app.disable('x-powered-by');
  // Every answer of 1 KiB and more, compressed as the client accepts (brotli at quality 4, else gzip);
  // the IDE's assets are already gzipped on disk (ide/routes.ts) and are sent as they are.
  // (A stored answer is sent from bodies compressed once: earlyAnswers.ts, encodedBodies.ts.)
  if (env.RESPONSE_COMPRESSION === 'on') app.use(compression({ threshold: COMPRESSION_THRESHOLD_BYTES }));
  const httpServer = createServer(app);
  // Idle keep-alive connections outlive the client's and a load balancer's (commonly 60 s): the
  // side that closes an idle connection must be the client, or a request sent on it as it closes
  // fails with ECONNRESET.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const limits = queryLimits(env, logger);
  // SAFELIST=enforce: persisted operations for everyone, others for graph:analyze (safelist.ts).
  // The manifest is read now, so that a missing one stops the start before anything listens.
  const safelisted = safelistOf(env, logger, (req, res, code) =>
    refused(req, res, code, res.locals['caller'] as Caller),
  );
  // CSV exports (csv.ts): its plugin plans an export once the operation is resolved, before it runs.
  const csv = csvExport({ logger, maxRows: env.CSV_MAX_ROWS });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    // Each query limit's refusal keeps its own code (limits.ts).
    formatError: limits.formatError(createFormatError(logger)),
    includeStacktraceInErrorResponses: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // A JSON array of operations in one POST, at most QUERY_MAX_BATCH (`batchLimit` below).
    allowBatchedHttpRequests: true,
    // The process's own SIGTERM/SIGINT handler drains and closes the database too; Apollo's would
    // re-raise the signal and kill the process before that.
    stopOnTerminationSignals: false,
    introspection: true,
    plugins: [
      telemetry.plugin,
      trail.plugin,
      // The cache policy of an answer is computed (from the subgraphs' Cache-Control), but the HTTP
      // header is the response cache's: `private` for a verified caller (responseCache.ts).
      ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
      responseCache.plugin,
      introspectionGuard(env.PROFILE),
      ...limits.plugins,
      csv.plugin,
      // HTTP status codes by the answer's media type, as GraphQL over HTTP gives them.
      graphqlOverHttpStatus(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  // Before the server starts: it hears of the supergraph from its first load on.
  const explainer = explainHandler({
    gateway,
    logger,
    maxCost: env.QUERY_MAX_COST,
    depthLimit: env.QUERY_MAX_DEPTH,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
  });
  await server.start();
  monitor.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  // Ready = the supergraph is loaded and the server serves. Subgraph outages are deliberately not
  // part of it: one agency's outage must not take the whole graph out of a load balancer.
  app.get('/ready', (_req, res) => {
    if (loaded) res.json({ status: 'ready', service: 'gateway' });
    else res.status(503).json({ status: 'starting', service: 'gateway' });
  });
  // The IDE, for a browser on `/` and `/graphql` (ide/routes.ts); in development with a picker of
  // callers whose tokens it signs with the development keys.
  app.use(
    ideRouter({
      profile: env.PROFILE,
      logger: logger.child({ component: 'ide' }),
      developmentIssuer:
        keys.source === 'development' ? (await ensureDevelopmentKeys(env.DEV_KEYS_DIR)).issuer.privateJwk : undefined,
    }),
  );
  // The public reference dashboard on GET /dashboard (dashboard/routes.ts): it reads the graph
  // through /graphql, with its persisted operation, as any other client.
  app.use(dashboardRouter({ logger: logger.child({ component: 'dashboard' }) }));
  const limiter = createRateLimiter({
    capacity: Math.max(1, env.RATE_LIMIT_CAPACITY),
    refillPerSecond: env.RATE_LIMIT_REFILL_PER_SECOND,
    redisUrl: env.REDIS_URL,
    keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    logger,
  });
  // A request refused before GraphQL is an audit event too (what it asked, who it claimed to be not).
  // When the request arrived: a refused request's event is timed from there, as every other event.
  const arrival: express.RequestHandler = (_req, res, next) => {
    res.locals['arrivedAt'] = new Date();
    res.locals['arrived'] = performance.now();
    next();
  };
  const refused = (req: express.Request, res: express.Response, code: string, caller: Caller | null) => {
    telemetry.refused(code, (performance.now() - (res.locals['arrived'] as number)) / 1000);
    trail.record({
      occurredAt: res.locals['arrivedAt'] as Date,
      caller,
      ...requestFieldsOf(req.method === 'GET' ? req.query : req.body),
      outcome: 'REFUSED',
      reason: code,
      errorCodes: [code],
      durationMs: performance.now() - (res.locals['arrived'] as number),
    });
  };
  const authenticated = authenticate(keys.verifier, logger, (req, res) => {
    refused(req, res, ErrorCode.UNAUTHENTICATED, null);
  });
  // Per caller: a verified caller by its subject, the public by its address.
  const rateLimited: express.RequestHandler = (req, res, next) => {
    if (env.RATE_LIMIT_CAPACITY === 0) {
      next();
      return;
    }
    const caller = res.locals['caller'] as Caller;
    const key = caller.subject !== null ? `sub:${caller.subject}` : `ip:${req.ip ?? 'unknown'}`;
    // A batch takes a token per operation (one past QUERY_MAX_BATCH: it is refused anyway), so
    // batching never multiplies a caller's rate.
    const operations = Array.isArray(req.body) ? Math.min(req.body.length, env.QUERY_MAX_BATCH + 1) : 1;
    limiter.take(key, operations).then(
      (decision) => {
        res.set('RateLimit-Remaining', String(decision.remaining));
        if (decision.allowed) {
          next();
          return;
        }
        refused(req, res, ErrorCode.RATE_LIMITED, caller);
        res
          .status(429)
          .set('Retry-After', String(decision.retryAfterSeconds))
          .json({
            errors: [
              {
                message: `Too many requests: retry after ${decision.retryAfterSeconds} s.`,
                extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds },
              },
            ],
          });
      },
      (error: unknown) => next(error),
    );
  };
  // A POST whose Accept admits no media type a GraphQL answer is written in is refused before it
  // runs (Apollo Server would run the operation first and then answer 406, its audit event saying
  // OK for an answer never delivered). A GET is left to Apollo Server: a browser asks for HTML.
  const acceptable: express.RequestHandler = (req, res, next) => {
    if (req.method !== 'POST' || singleResultMediaType(req) !== null) {
      next();
      return;
    }
    refused(req, res, 'BAD_REQUEST', res.locals['caller'] as Caller);
    res.status(406).json({
      errors: [
        {
          message:
            "The request's Accept header admits neither application/json nor application/graphql-response+json, the media types a GraphQL answer is written in.",
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  };
  // A body over BODY_LIMIT (413), JSON nested too deep and a batch of more than QUERY_MAX_BATCH
  // operations (400) are refused before GraphQL, each with its code and limit (graphqlOverHttp.ts).
  // The first two are refused before authentication (which records what it refuses): no caller.
  const tooLarge = bodyTooLarge(bodyLimitBytes(env.BODY_LIMIT), (req, res, code) => refused(req, res, code, null));
  const tooDeep = jsonDepthLimit((req, res, code) => refused(req, res, code, null));
  const batchLimited = batchLimit(env.QUERY_MAX_BATCH, (req, res, code) =>
    refused(req, res, code, res.locals['caller'] as Caller),
  );
  // Internal addresses and health of every subgraph: operators only.
  app.get('/status/subgraphs', arrival, authenticated, (_req, res, next) => {
    const caller = res.locals['caller'] as Caller;
    if (hasScope(caller, Scope.OPERATOR)) {
      next();
      return;
    }
    res.status(caller.subject === null ? 401 : 403).json({
      errors: [
        {
          message: `/status/subgraphs needs a token with the ${Scope.OPERATOR} scope`,
          extensions: { code: caller.subject === null ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN },
        },
      ],
    });
  });
  app.get('/status/subgraphs', async (req, res) => {
    if (req.query['refresh'] === 'true') await monitor.probeAll();
    const subgraphs = monitor.snapshot();
    res.json({ healthy: subgraphs.every((s) => s.reachable === true), subgraphs });
  });
  // How an operation would run, without running it: its query plan, subgraphs and cost (explain.ts).
  // What /graphql and /explain both do before their own work: the body parsed (first, so that a
  // refused request's audit event names the operation it asked for) and held to its limits, the
  // caller verified and rate limited.
  const corsPolicy = cors({ origin: env.CORS_ORIGINS.length > 0 ? env.CORS_ORIGINS : false });
  const admitted = [express.json({ limit: env.BODY_LIMIT }), tooLarge, tooDeep, authenticated, rateLimited];
  app.post('/explain', arrival, corsPolicy, ...admitted, explainer);
  // One list of an operation's answer as CSV, paged as it streams, for this caller (csv.ts);
  // held to the safelist as /graphql is (its pages run past /graphql's middleware).
  app.post('/csv', arrival, corsPolicy, ...admitted, safelisted, csv.handler(server, refused));
  app.use(
    '/graphql',
    arrival,
    telemetry.serverSpan,
    corsPolicy,
    ...admitted,
    acceptable,
    batchLimited,
    // Before the early answers: a refused request never gets a stored answer.
    safelisted,
    telemetry.activateSpan,
    // A cached answer is served from here, without the GraphQL pipeline (earlyAnswers.ts).
    earlyAnswers({
      cache: responseCache.plugin,
      trail,
      telemetry,
      encoded: env.RESPONSE_COMPRESSION === 'on' ? new EncodedBodies() : undefined,
    }),
    expressMiddleware(server, {
      context: ({ res }) =>
        Promise.resolve({
          caller: res.locals['caller'] as Caller,
          fetched: new Set<string>(),
          priorLookup: res.locals['priorLookup'] as PriorLookup | undefined,
        }),
    }),
  );
  app.use(jsonNotFound);
  app.use(jsonErrorHandler(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(env.PORT, env.HOST, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}/graphql`;
  const metricsUrl = await telemetry.listen();
  return {
    url,
    httpServer,
    monitor,
    audit: trail,
    metricsUrl,
    stop: async () => {
      const stopping = Date.now();
      monitor.stop();
      // In-flight requests finish (and record their events) first; then the trail sends every
      // buffered event, and spools what it cannot send before the shutdown deadline.
      await server.stop();
      await trail.stop(Math.max(500, env.SHUTDOWN_TIMEOUT_MS - (Date.now() - stopping) - 1_000));
      await limiter.close();
      await responseCache.close();
      await dispatcher.close();
      await telemetry.stop();
    },
  };
}

export { gatewayEnvSchema, readEnv, SUBGRAPH_URL_PREFIX, type GatewayEnv } from './env';
export { forApolloGateway } from './supergraph';
export { loadPersistedOperations, safelist, safelistOf, type PersistedOperations } from './safelist';
