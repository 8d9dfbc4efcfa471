import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { readEnv as readGatewayEnv, startGateway, type RunningGateway } from '@bicentennial/gateway';
import { envName } from '@bicentennial/schema';
import {
  readSubgraphEnv,
  startSubgraph,
  type PrismaLike,
  type RunningSubgraph,
  type SubgraphEnv,
  type SubgraphProgram,
} from '@bicentennial/subgraph-kit';
import { ensureDevelopmentKeys, mintToken, silentLogger, type MintOptions } from '@bicentennial/service';
import { countingAdapter, type StatementCounter, type SubgraphModule } from '@bicentennial/testing';
import * as audit from '@bicentennial/audit';
import * as borderTrade from '@bicentennial/subgraph-border-trade';
import * as extradition from '@bicentennial/subgraph-extradition';
import * as finance from '@bicentennial/subgraph-finance';
import * as firearms from '@bicentennial/subgraph-firearms';
import * as framework from '@bicentennial/subgraph-framework';
import * as publicHealth from '@bicentennial/subgraph-public-health';

export interface InProcessGraph {
  gateway: RunningGateway;
  gatewayUrl: string;
  /** Each subgraph as it runs (its Prisma client and database), by name. */
  subgraphs: Map<string, RunningSubgraph<PrismaLike>>;
  /** The domain subgraphs with their own (typed) Prisma clients, for tests that add data directly. */
  handles: {
    publicHealth: RunningSubgraph<ReturnType<typeof publicHealth.createPrisma>>;
    borderTrade: RunningSubgraph<ReturnType<typeof borderTrade.createPrisma>>;
    firearms: RunningSubgraph<ReturnType<typeof firearms.createPrisma>>;
    finance: RunningSubgraph<ReturnType<typeof finance.createPrisma>>;
    extradition: RunningSubgraph<ReturnType<typeof extradition.createPrisma>>;
    audit: RunningSubgraph<ReturnType<typeof audit.createPrisma>>;
  };
  /** SQL statements each subgraph's Prisma client sent, by name (reset with `statements.get(x).reset()`). */
  statements: Map<string, StatementCounter>;
  /** Operations each subgraph received since the last `resetRequests()`. */
  requests: Map<string, number>;
  resetRequests(): void;
  /** The development keys this graph's processes use. */
  keysDir: string;
  /** A caller token for this graph (signed with its development issuer key). */
  token(options: MintOptions): Promise<string>;
  /** Another gateway (a replica) over the same subgraphs, stopped with the graph. */
  startGateway(env?: Record<string, string>): Promise<RunningGateway>;
  stop(): Promise<void>;
}

/**
 * The real subgraphs (each on its own scratch PGlite database, migrated and seeded by the same
 * code as `npm start`) and the real gateway, all in this process, talking over HTTP on
 * ephemeral ports.
 */
export async function startInProcessGraph(
  options: {
    /** PostgreSQL database URLs by subgraph name (throwaway databases); the others embedded. */
    databases?: Map<string, string>;
    /** Settings of the gateway besides those the graph sets (REDIS_URL, RESPONSE_CACHE, …). */
    gatewayEnv?: Record<string, string>;
    /** Settings of every subgraph besides those the graph sets (METRICS_PORT, …). */
    subgraphEnv?: Record<string, string>;
  } = {},
): Promise<InProcessGraph> {
  const scratch = mkdtempSync(join(tmpdir(), 'bicentennial-graph-'));
  const keysDir = join(scratch, 'keys');
  const keys = await ensureDevelopmentKeys(keysDir);
  const requests = new Map<string, number>();
  const subgraphs: { name: string; running: RunningSubgraph<PrismaLike> }[] = [];
  const statements = new Map<string, StatementCounter>();
  const counting = (name: string): ApolloServerPlugin<BaseContext> => ({
    requestDidStart: ({ request }) => {
      // The gateway's health probes are not part of any query.
      if (request.operationName !== '__ApolloServiceHealthCheck__') requests.set(name, (requests.get(name) ?? 0) + 1);
      return Promise.resolve();
    },
  });
  const start = async <P extends PrismaLike, C extends BaseContext>(
    module: SubgraphModule<P, C> & {
      SUBGRAPH_NAME: string;
      routes?: (env: SubgraphEnv) => SubgraphProgram<P, C>['routes'];
    },
  ): Promise<RunningSubgraph<P>> => {
    const name = module.SUBGRAPH_NAME;
    const databaseUrl = options.databases?.get(name);
    const env = readSubgraphEnv(
      { port: 0, pgliteDir: join(scratch, name) },
      {
        LOG_LEVEL: 'silent',
        DEV_KEYS_DIR: keysDir,
        ...options.subgraphEnv,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl, PROFILE: 'development', DB_POOL_SIZE: '4' } : {}),
      },
    );
    const routes = module.routes?.(env);
    const running = await startSubgraph(
      {
        name,
        env,
        ...(routes ? { routes } : {}),
        migrationsDir: module.MIGRATIONS_DIR,
        createPrisma: (adapter) => {
          const counted = countingAdapter(adapter);
          statements.set(name, counted.counter);
          return module.createPrisma(counted.adapter);
        },
        seed: (prisma, logger) => module.seed(prisma, logger),
        createServer: (logger) => {
          const server = module.createServer(logger);
          server.addPlugin(counting(name));
          return server;
        },
        createContext: (prisma, caller) => module.createContext(prisma, caller),
      },
      silentLogger,
    );
    subgraphs.push({ name, running });
    return running;
  };
  try {
    // One after another: each PGlite instance is large, and they start faster without competing.
    await start(framework);
    const handles = {
      publicHealth: await start(publicHealth),
      borderTrade: await start(borderTrade),
      firearms: await start(firearms),
      finance: await start(finance),
      extradition: await start(extradition),
      audit: await start(audit),
    };
    const urls = Object.fromEntries(subgraphs.map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, s.running.url]));
    const gateways: RunningGateway[] = [];
    const startReplica = async (env: Record<string, string> = {}) => {
      const replica = await startGateway(
        readGatewayEnv({
          PORT: '0',
          SUPERGRAPH_WATCH: 'false',
          STATUS_POLL_INTERVAL_MS: '600000',
          DEV_KEYS_DIR: keysDir,
          RATE_LIMIT_CAPACITY: '0',
          AUDIT_SPOOL_DIR: join(scratch, `audit-spool-${gateways.length}`),
          ...urls,
          ...options.gatewayEnv,
          ...env,
        }),
        silentLogger,
      );
      gateways.push(replica);
      return replica;
    };
    const gateway = await startReplica();
    return {
      gateway,
      gatewayUrl: gateway.url,
      subgraphs: new Map(subgraphs.map((s) => [s.name, s.running])),
      handles,
      statements,
      requests,
      resetRequests: () => requests.clear(),
      keysDir,
      token: (options) => mintToken(keys.issuer.privateJwk, options),
      startGateway: startReplica,
      stop: async () => {
        await Promise.all(gateways.map((g) => g.stop()));
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
