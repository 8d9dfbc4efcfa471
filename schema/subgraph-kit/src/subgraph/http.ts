import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Logger } from 'pino';
import { ErrorCode, type Caller } from '@bicentennial/schema';
import {
  AuthenticationError,
  bearerToken,
  graphqlRequestMetrics,
  graphqlTelemetryPlugin,
  httpServerSpans,
  jsonErrorHandler,
  jsonNotFound,
  NO_OPERATION,
  startServiceTelemetry,
  type InternalVerifier,
  type TelemetrySettings,
} from '@bicentennial/service';

export interface ServeOptions<C extends BaseContext> {
  name: string;
  /** Built by `createSubgraphServer`, not started yet. */
  server: ApolloServer<C>;
  /** A request's context, for the caller its internal token names. */
  context: (caller: Caller) => Promise<C>;
  /**
   * Verifies the internal token the gateway signs for each request to this subgraph: a request
   * without one, with a forged or expired one, or one meant for another subgraph is answered 401.
   */
  verifier: InternalVerifier;
  /** Resolves when the subgraph can serve (its database answers); rejects otherwise. */
  ready: () => Promise<void>;
  port: number;
  host: string;
  bodyLimit: string;
  logger: Logger;
  /**
   * Routes of the subgraph's own besides /graphql (the audit subgraph's `POST
   * /internal/audit-events`), mounted after /health and /ready and before the JSON 404. Each
   * route parses its own body and checks its own authorization.
   */
  routes?: (app: express.Express) => void;
  /**
   * Tracing (OTEL_EXPORTER_OTLP_ENDPOINT) and the metrics listener (METRICS_PORT, METRICS_HOST):
   * unset, neither; the request metrics are recorded all the same (README, Telemetry).
   */
  telemetry?: TelemetrySettings;
}

export interface ServingSubgraph {
  url: string;
  httpServer: Server;
  /** `GET /metrics` on the metrics listener, when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /** Stops accepting requests, lets in-flight ones finish, then stops the server. */
  stop(): Promise<void>;
}

/**
 * Puts a subgraph on HTTP: `POST /graphql` for the gateway (with its internal token), `GET /health` (the process is up)
 * and `GET /ready` (it can serve: its database answers); `GET /metrics` on a listener of its own
 * when METRICS_PORT is set. Each /graphql request is counted and timed per operation and, with
 * tracing on, is a server span under the gateway's fetch (its `traceparent`).
 */
export async function serveSubgraph<C extends BaseContext>(options: ServeOptions<C>): Promise<ServingSubgraph> {
  const { server, logger } = options;
  const telemetry = await startServiceTelemetry({ service: options.name, settings: options.telemetry, logger });
  const requests = graphqlRequestMetrics(options.name);
  server.addPlugin(graphqlTelemetryPlugin(requests));
  const spans = httpServerSpans(telemetry.tracingName, '/graphql');
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  // The gateway's pool closes idle connections first (30 s); a subgraph that closed them first
  // could reset a request sent on one as it closes.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  server.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await server.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await options.ready();
      res.json({ status: 'ready', service: options.name });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });
  options.routes?.(app);
  // Only the gateway may ask: it signs a short-lived token for this subgraph with the caller's
  // verified claims. The reason of a refusal is logged, never returned.
  const authenticate: express.RequestHandler = (req, res, next) => {
    const arrived = performance.now();
    const token = bearerToken(req.headers.authorization);
    options.verifier.verify(token ?? undefined).then(
      (caller) => {
        res.locals['caller'] = caller;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof AuthenticationError)) {
          next(error);
          return;
        }
        logger.info({ reason: error.reason, path: req.path }, 'request refused: no valid internal token');
        requests.record(NO_OPERATION, 'REFUSED', (performance.now() - arrived) / 1000, [ErrorCode.UNAUTHENTICATED]);
        res
          .status(401)
          .set('WWW-Authenticate', 'Bearer')
          .json({
            errors: [
              {
                message: `the ${options.name} subgraph answers the gateway only: the request has no valid internal token`,
                extensions: { code: ErrorCode.UNAUTHENTICATED },
              },
            ],
          });
      },
    );
  };
  app.use(
    '/graphql',
    spans.start,
    authenticate,
    express.json({ limit: options.bodyLimit }),
    spans.activate,
    expressMiddleware(server, { context: ({ res }) => options.context(res.locals['caller'] as Caller) }),
  );
  app.use(jsonNotFound);
  app.use(jsonErrorHandler(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/graphql`;
  const metricsUrl = await telemetry.listen().catch(async (error: unknown) => {
    await server.stop();
    await telemetry.stop();
    throw error;
  });
  return {
    url,
    httpServer,
    metricsUrl,
    stop: async () => {
      await server.stop();
      await telemetry.stop();
    },
  };
}
