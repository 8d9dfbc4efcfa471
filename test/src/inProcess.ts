import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { readEnv as readGatewayEnv, startGateway, type RunningGateway } from '@bicentennial/gateway';
import {
  envName,
  readSubgraphEnv,
  silentLogger,
  startSubgraph,
  type PrismaLike,
  type RunningSubgraph,
} from '@bicentennial/schema';
import type { SubgraphModule } from '@bicentennial/schema/testing';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import * as extradition from '@bicentennial/subgraph-extradition';
import * as finance from '@bicentennial/subgraph-finance';
import * as firearms from '@bicentennial/subgraph-firearms';
import * as framework from '@bicentennial/subgraph-framework';
import * as publicHealth from '@bicentennial/subgraph-public-health';

export interface InProcessGraph {
  gateway: RunningGateway;
  gatewayUrl: string;
  /** Operations each subgraph received since the last `resetRequests()`. */
  requests: Map<string, number>;
  resetRequests(): void;
  stop(): Promise<void>;
}

/**
 * The real subgraphs (each on its own scratch PGlite database, migrated and seeded by the same
 * code as `npm start`) and the real gateway, all in this process, talking over HTTP on
 * ephemeral ports.
 */
export async function startInProcessGraph(): Promise<InProcessGraph> {
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-graph-'));
  const requests = new Map<string, number>();
  const subgraphs: { name: string; running: RunningSubgraph<PrismaLike> }[] = [];
  const counting = (name: string): ApolloServerPlugin<BaseContext> => ({
    requestDidStart: ({ request }) => {
      // The gateway's health probes are not part of any query.
      if (request.operationName !== '__ApolloServiceHealthCheck__') requests.set(name, (requests.get(name) ?? 0) + 1);
      return Promise.resolve();
    },
  });
  const start = async <P extends PrismaLike, C extends BaseContext>(
    module: SubgraphModule<P, C> & { SUBGRAPH_NAME: string },
  ): Promise<void> => {
    const name = module.SUBGRAPH_NAME;
    const running = await startSubgraph(
      {
        name,
        env: readSubgraphEnv({ port: 0, pgliteDir: join(scratch, name) }, { LOG_LEVEL: 'silent' }),
        migrationsDir: module.MIGRATIONS_DIR,
        createPrisma: (adapter) => module.createPrisma(adapter),
        seed: (prisma, logger) => module.seed(prisma, logger),
        createServer: (logger) => {
          const server = module.createServer(logger);
          server.addPlugin(counting(name));
          return server;
        },
        createContext: (prisma) => module.createContext(prisma),
      },
      silentLogger,
    );
    subgraphs.push({ name, running });
  };
  try {
    // One after another: each PGlite instance is large, and they start faster without competing.
    await start(framework);
    await start(publicHealth);
    await start(borderTrade);
    await start(firearms);
    await start(finance);
    await start(extradition);
    const urls = Object.fromEntries(subgraphs.map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, s.running.url]));
    const gateway = await startGateway(
      readGatewayEnv({ PORT: '0', SUPERGRAPH_WATCH: 'false', STATUS_POLL_INTERVAL_MS: '600000', ...urls }),
      silentLogger,
    );
    return {
      gateway,
      gatewayUrl: gateway.url,
      requests,
      resetRequests: () => requests.clear(),
      stop: async () => {
        await gateway.stop();
        await Promise.all(subgraphs.map((s) => s.running.stop()));
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(subgraphs.map((s) => s.running.stop()));
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}
