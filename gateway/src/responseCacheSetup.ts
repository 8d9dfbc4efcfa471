import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { Logger } from 'pino';
import type { GatewayEnv } from './env';
import {
  MemoryResponseCacheStore,
  RedisResponseCacheStore,
  responseCachePlugin,
  type CacheStatus,
  type ResponseCacheOptions,
  type ResponseCachePlugin,
  type ResponseCacheStore,
  type VersionPeers,
} from './responseCache';

export interface ResponseCache {
  plugin: ResponseCachePlugin;
  store: ResponseCacheStore;
  close(): Promise<void>;
}

/**
 * The response cache as the settings describe it: in Redis when REDIS_URL is set (shared by every
 * replica), else in this process (`peers` keeps the data versions of a gateway's workers in step).
 */
export function createResponseCache(
  env: GatewayEnv,
  logger: Logger,
  gateway: Pick<ApolloGateway, 'onSchemaLoadOrUpdate'>,
  options: {
    peers?: VersionPeers;
    onLookup?: (status: CacheStatus) => void;
    coordinatesOf?: ResponseCacheOptions['coordinatesOf'];
  } = {},
): ResponseCache {
  const caching = env.RESPONSE_CACHE === 'on';
  const store: ResponseCacheStore = env.REDIS_URL
    ? new RedisResponseCacheStore({ url: env.REDIS_URL, keyPrefix: env.RESPONSE_CACHE_KEY_PREFIX, caching, logger })
    : new MemoryResponseCacheStore({
        caching,
        maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES,
        maxBytes: env.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
        peers: options.peers,
      });
  // Entries are keyed by the supergraph they were answered on: a new supergraph starts afresh.
  let supergraphId = 'none';
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    supergraphId = createHash('sha256').update(coreSupergraphSdl).digest('base64url').slice(0, 16);
  });
  logger.info(
    { store: store.kind, caching, dedupe: env.RESPONSE_CACHE_DEDUPE === 'on' },
    caching ? `response cache on (${store.kind})` : 'response cache off',
  );
  return {
    store,
    plugin: responseCachePlugin({
      store,
      caching,
      dedupe: env.RESPONSE_CACHE_DEDUPE === 'on',
      supergraphId: () => supergraphId,
      logger,
      ...(options.onLookup ? { onLookup: options.onLookup } : {}),
      ...(options.coordinatesOf ? { coordinatesOf: options.coordinatesOf } : {}),
    }),
    close: () => store.close(),
  };
}
