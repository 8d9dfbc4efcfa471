import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Logger } from 'pino';
import { jsonErrorHandler, jsonNotFound } from '@bicentennial/service';

export interface ServeOptions<C extends BaseContext> {
  name: string;
  /** Built by `createSubgraphServer`, not started yet. */
  server: ApolloServer<C>;
  context: () => Promise<C>;
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
}

export interface ServingSubgraph {
  url: string;
  httpServer: Server;
  /** Stops accepting requests, lets in-flight ones finish, then stops the server. */
  stop(): Promise<void>;
}

/**
 * Puts a subgraph on HTTP: `POST /graphql` for the gateway, `GET /health` (the process is up)
 * and `GET /ready` (it can serve: its database answers).
 */
export async function serveSubgraph<C extends BaseContext>(options: ServeOptions<C>): Promise<ServingSubgraph> {
  const { server, logger } = options;
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
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit }),
    expressMiddleware(server, { context: options.context }),
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
  return { url, httpServer, stop: () => server.stop() };
}
