import { createHash } from 'node:crypto';
import type {
  ApolloServerPlugin,
  GraphQLRequestContext,
  GraphQLRequestContextWillSendResponse,
  GraphQLResponse,
} from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import { ANONYMOUS, LANGUAGE_HEADER, negotiateLanguage, type Caller, type Language } from '@bicentennial/schema';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { stringify } from 'safe-stable-stringify';
import etag from 'etag';
import { connectRedis, type SharedRedis } from './redis';

/**
 * The gateway's response cache and in-flight deduplication of identical operations.
 *
 * What is cached: the whole answer to a query whose cache policy (Apollo's cache hints: each
 * subgraph computes its part's policy from the `@cacheControl` hints of its SDL and sends it as
 * `Cache-Control`; the gateway keeps the most restrictive) is PUBLIC with a maxAge above 0, and
 * which has no errors. A field or type without a hint is not cacheable, so an answer with any record
 * in it is never cached; PRIVATE answers never are.
 *
 * Who shares an entry: the key is the supergraph, the operation (its hash and name), its
 * variables, the caller's *access class* — whether it is verified, its agency, its country and
 * its scopes: everything authorization (scopes, policies) and releasability (country) depend on —
 * and the language negotiated from the request's `Accept-Language` (EN or ES, never the raw
 * header, so that the many ways of asking for one language share one entry), which decides every
 * text asked without `lang`. Two callers of one class and language are answered the same by every
 * rule of this graph; a caller of another class or language never gets the entry.
 *
 * Staleness: every subgraph has a data version, bumped by the gateway when a mutation that reached
 * that subgraph is answered (before its answer is sent). An entry records the versions of the
 * subgraphs it fetched from *as they were when its request started*; an entry whose versions are not
 * the current ones is dead. So a write never leaves a stale answer behind, including one computed by
 * a query that was in flight while the write committed. Versions are in Redis when REDIS_URL is set
 * (shared by replicas), else in the process, and a worker's bump reaches the other workers of its
 * gateway before the mutation's answer is sent (see workers.ts). Writes that bypass the gateway (SQL
 * by hand) are seen when the entries expire (their maxAge).
 *
 * Deduplication: a query arriving while an identical one (same key, same data versions) is being
 * answered waits for that answer and shares it if it is shareable (the same rules as caching);
 * otherwise it runs on its own.
 */

/** The data versions of the subgraphs (absent: 0). `*` is bumped by a write whose subgraphs are unknown. */
export type DataVersions = Readonly<Record<string, number>>;

/** Every entry depends on this version too: bumping it kills every entry. */
export const ANY_SUBGRAPH = '*';

export interface CachedAnswer {
  /** The answer's `data`, as JSON. */
  data: string;
  /** When it was stored (ms since the epoch). */
  storedAt: number;
  /** Seconds it stays fresh from `storedAt`. */
  maxAge: number;
  /** The data version of each subgraph it fetched from (and of `*`) when its request started. */
  versions: DataVersions;
  /**
   * What a request answered from this entry is recorded as (its audit event, its metrics), since
   * such a request is never parsed: the operation's name and the schema coordinates it selects.
   */
  operation?: AnswerOperation;
  /**
   * Kept with an entry in memory, never sent to Redis, each made once when first needed: `data`
   * parsed and frozen (an answer through Apollo Server), and the HTTP body with its ETag (an answer
   * served before it, `earlyAnswer`).
   */
  value?: Readonly<Record<string, unknown>>;
  body?: Buffer;
  etag?: string;
}

/** The operation an entry answered (`CachedAnswer.operation`). */
export interface AnswerOperation {
  /** The name of the operation that ran (null: anonymous). */
  name: string | null;
  /** `Type.field` of every field it selects, sorted. */
  coordinates: readonly string[];
}

/** Freezes an answer's data all the way down: an entry served to many requests is never changed by one. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The entry's data, parsed (once for an entry in memory). */
function valueOf(entry: CachedAnswer): Readonly<Record<string, unknown>> {
  return (entry.value ??= deepFreeze(JSON.parse(entry.data) as Record<string, unknown>));
}

/**
 * The entry's HTTP body as Apollo Server writes it (`{"data":…}` and a newline) and the weak ETag
 * Express gives that body: made once for an entry in memory.
 */
function bodyOf(entry: CachedAnswer): { body: Buffer; etag: string } {
  entry.body ??= Buffer.from(`{"data":${entry.data}}\n`);
  entry.etag ??= etag(entry.body, { weak: true });
  return { body: entry.body, etag: entry.etag };
}

/** Where versions and entries live: this process, or Redis. */
export interface ResponseCacheStore {
  readonly kind: 'memory' | 'redis';
  /** The entry under `key` (when caching is on and there is one) and the current data versions, in one round trip. */
  lookup(key: string | null): Promise<{ entry: CachedAnswer | undefined; versions: DataVersions }>;
  save(key: string, entry: CachedAnswer): Promise<void>;
  /** Bumps the data versions of these subgraphs: every entry that fetched from one of them is dead. */
  invalidate(subgraphs: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** What one request's cache lookup came to (the `x-cache` header, and the metric). */
export type CacheStatus = 'HIT' | 'MISS' | 'SHARED' | 'UNCACHEABLE' | 'BYPASS';

/** Tells the other processes of this gateway that versions were bumped, and hears them. */
export interface VersionPeers {
  /** Resolves when every other worker has applied the bump. */
  announce(subgraphs: readonly string[]): Promise<void>;
  onAnnounce(listener: (subgraphs: readonly string[]) => void): void;
}

const isFresh = (entry: CachedAnswer, versions: DataVersions, now: number) =>
  now < entry.storedAt + entry.maxAge * 1000 &&
  Object.entries(entry.versions).every(([subgraph, version]) => (versions[subgraph] ?? 0) === version);

/** Entries and versions in this process (each worker its own entries; versions kept in step by `peers`). */
export class MemoryResponseCacheStore implements ResponseCacheStore {
  readonly kind = 'memory';
  private readonly versions: Record<string, number> = {};
  private readonly entries: LRUCache<string, CachedAnswer> | null;

  constructor(options: { maxEntries: number; maxBytes: number; caching: boolean; peers?: VersionPeers | undefined }) {
    this.entries = options.caching
      ? new LRUCache<string, CachedAnswer>({
          max: options.maxEntries,
          maxSize: options.maxBytes,
          // The data's text, and its body once served before Apollo Server (about as long again).
          sizeCalculation: (entry) => Math.max(1, entry.data.length * 3),
        })
      : null;
    this.peers = options.peers;
    this.peers?.onAnnounce((subgraphs) => this.bump(subgraphs));
  }

  private readonly peers: VersionPeers | undefined;

  /** Entries held now (for tests and metrics). */
  get size(): number {
    return this.entries?.size ?? 0;
  }

  lookup(key: string | null) {
    const entry = key === null ? undefined : this.entries?.get(key);
    return Promise.resolve({ entry, versions: { ...this.versions } });
  }

  save(key: string, entry: CachedAnswer): Promise<void> {
    this.entries?.set(key, { ...entry }, { ttl: entry.maxAge * 1000 });
    return Promise.resolve();
  }

  async invalidate(subgraphs: readonly string[]): Promise<void> {
    this.bump(subgraphs);
    await this.peers?.announce(subgraphs);
  }

  private bump(subgraphs: readonly string[]): void {
    for (const subgraph of subgraphs) this.versions[subgraph] = (this.versions[subgraph] ?? 0) + 1;
  }

  close(): Promise<void> {
    this.entries?.clear();
    return Promise.resolve();
  }
}

/**
 * Entries and versions in Redis, shared by every replica: `<prefix>entry:<key>` (JSON, expiring
 * with the entry's maxAge) and one hash `<prefix>versions`. A lookup is one pipelined round trip.
 * The connection follows the gateway's Redis policy (redis.ts): while Redis is down or slow, a
 * lookup fails at once and its request bypasses the cache (and deduplication).
 */
export class RedisResponseCacheStore implements ResponseCacheStore {
  readonly kind = 'redis';
  private readonly redis: SharedRedis;
  private readonly prefix: string;
  private readonly caching: boolean;

  constructor(options: { url: string; keyPrefix: string; caching: boolean; logger: Logger; timeoutMs?: number }) {
    this.prefix = options.keyPrefix;
    this.caching = options.caching;
    this.redis = connectRedis({
      url: options.url,
      timeoutMs: options.timeoutMs ?? 200,
      logger: options.logger,
      downMessage: 'Redis unreachable: the response cache is bypassed (every query runs), until it is back',
      backMessage: 'Redis reachable again: the response cache is used again',
    });
  }

  private get versionsKey() {
    return `${this.prefix}versions`;
  }

  private async run<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    if (!(await this.redis.usable())) throw new Error(`Redis is not usable now (${this.redis.client.status})`);
    try {
      const result = await command(this.redis.client);
      this.redis.succeeded();
      return result;
    } catch (error) {
      this.redis.failed(error);
      throw error;
    }
  }

  async lookup(key: string | null) {
    const results = await this.run(async (client) => {
      const pipeline = client.pipeline();
      pipeline.hgetall(this.versionsKey);
      if (key !== null && this.caching) pipeline.get(`${this.prefix}entry:${key}`);
      const replies = (await pipeline.exec()) ?? [];
      for (const [error] of replies) if (error) throw error;
      return replies;
    });
    const raw = (results[0]?.[1] ?? {}) as Record<string, string>;
    const versions: Record<string, number> = {};
    for (const [subgraph, value] of Object.entries(raw)) versions[subgraph] = Number(value);
    const stored = results[1]?.[1] as string | null | undefined;
    return { entry: stored ? (JSON.parse(stored) as CachedAnswer) : undefined, versions };
  }

  async save(key: string, entry: CachedAnswer): Promise<void> {
    if (!this.caching) return;
    await this.run((client) =>
      client.set(
        `${this.prefix}entry:${key}`,
        JSON.stringify({ ...entry, value: undefined, body: undefined, etag: undefined }),
        'PX',
        entry.maxAge * 1000,
      ),
    );
  }

  async invalidate(subgraphs: readonly string[]): Promise<void> {
    // Waits for a first connection like every command, but is tried even during an outage's
    // back-off: a write's invalidation is worth a try every time.
    await this.redis.usable();
    const transaction = this.redis.client.multi();
    for (const subgraph of subgraphs) transaction.hincrby(this.versionsKey, subgraph, 1);
    const results = (await transaction.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }

  close(): Promise<void> {
    return this.redis.close();
  }
}

/** What the key of an answer depends on in a caller: what authorization and releasability read. */
export function accessClass(caller: Caller): string {
  return stringify([caller.subject !== null, caller.agency, caller.country, [...caller.scopes].sort()]);
}

/**
 * The key of an answer: the supergraph, the document (its SHA-256, Apollo's `queryHash`, which is
 * also its APQ hash), the operation name and the variables the request sent, the caller's access
 * class, and the request's language (its `Accept-Language` negotiated to EN or ES by
 * `negotiateLanguage`, as the data sources negotiate the language they send the subgraphs). All
 * of it is in the request as sent, so that a hit can be found before Apollo Server parses
 * anything (`earlyAnswer`): what the request runs, every rule that refuses or trims an answer
 * (validation, limits, authorization, releasability) and the language of every text asked
 * without `lang` are functions of it.
 */
export function answerKey(
  supergraphId: string,
  queryHash: string,
  operationName: string | null,
  variables: Readonly<Record<string, unknown>> | null,
  caller: Caller,
  language: Language,
): string {
  return createHash('sha256')
    .update(stringify([supergraphId, queryHash, operationName, variables ?? {}, accessClass(caller), language]))
    .digest('base64url');
}

/** A lookup made before Apollo Server (`earlyAnswer`) that found nothing to serve: not made twice. */
export interface PriorLookup {
  key: string;
  found: { entry: CachedAnswer | undefined; versions: DataVersions };
}

export interface ResponseCacheContext {
  caller: Caller;
  /** The subgraphs this request fetched from (filled by the data sources). */
  fetched?: Set<string>;
  /** The lookup `earlyAnswer` made for this request, when it made one. */
  priorLookup?: PriorLookup;
}

/** A GraphQL request as it arrived (a POST's JSON body), before anything checked it. */
export interface RawGraphQLRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** An answer served from the cache before Apollo Server (`earlyAnswer`). */
export interface EarlyHit {
  /** The HTTP body, as Apollo Server would write it, and its weak ETag. */
  body: Buffer;
  etag: string;
  /** Seconds since the entry was stored (the `age` header), and seconds it stays fresh. */
  age: number;
  maxAge: number;
  /** What the request ran, for its audit event and metrics. */
  queryHash: string;
  operation: AnswerOperation;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The document hash of a request the early path may answer, or null for one it leaves to Apollo
 * Server: anything unusual (no document, a malformed field, another extension, an APQ hash that
 * does not match its document) goes the whole way, and gets Apollo's checks and errors.
 */
function earlyQueryHash(request: RawGraphQLRequest): string | null {
  const { query, operationName, variables, extensions } = request;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (variables !== undefined && variables !== null && !isPlainObject(variables)) return null;
  let persisted: string | null = null;
  if (extensions !== undefined && extensions !== null) {
    if (!isPlainObject(extensions)) return null;
    const keys = Object.keys(extensions);
    if (keys.some((name) => name !== 'persistedQuery')) return null;
    if (keys.length > 0) {
      const apq = extensions['persistedQuery'];
      if (!isPlainObject(apq) || apq['version'] !== 1 || typeof apq['sha256Hash'] !== 'string') return null;
      if (!SHA256_HEX.test(apq['sha256Hash'])) return null;
      persisted = apq['sha256Hash'];
    }
  }
  if (typeof query === 'string' && query !== '') {
    const hash = createHash('sha256').update(query).digest('hex');
    return persisted === null || persisted === hash ? hash : null;
  }
  return query === undefined || query === null ? persisted : null;
}

export interface ResponseCacheOptions {
  store: ResponseCacheStore;
  /** Keep answers (false: RESPONSE_CACHE=off, versions and deduplication only). */
  caching: boolean;
  /** Share the answer of an identical operation in flight. */
  dedupe: boolean;
  /** The running supergraph's identity: entries of another supergraph are never served. */
  supergraphId: () => string;
  logger: Logger;
  /** Called once per query with what its lookup came to. */
  onLookup?: (status: CacheStatus) => void;
  /** Longest a duplicate waits for the answer it shares before running on its own. */
  dedupeWaitMs?: number;
  /** The coordinates an answered operation selects (stored with its entry, see `CachedAnswer.operation`). */
  coordinatesOf?: (requestContext: GraphQLRequestContextWillSendResponse<ResponseCacheContext>) => readonly string[];
}

/** The plugin, and the lookup that serves hits before Apollo Server. */
export interface ResponseCachePlugin extends ApolloServerPlugin<ResponseCacheContext> {
  /**
   * Serves a hit without Apollo Server: for a request as it arrived (after authentication and
   * rate limiting), its verified caller and its negotiated language, the fresh entry of its key,
   * or else what the lookup found (to hand to Apollo Server in the context, so that it is not
   * made again), or null when the request is not one to look up early (caching off, anything
   * unusual: `earlyQueryHash`). The store failing is null too: Apollo Server then meets the
   * failure and bypasses the cache.
   */
  earlyAnswer(
    request: RawGraphQLRequest,
    caller: Caller,
    language: Language,
  ): Promise<{ hit: EarlyHit; prior?: undefined } | { hit?: undefined; prior: PriorLookup } | null>;
}

/** A shareable answer's data (JSON) and how long it stays fresh; null when it may not be shared. */
type Shareable = { data: string; value: Readonly<Record<string, unknown>>; maxAge: number } | null;

interface Shared {
  promise: Promise<Shareable>;
  resolve: (answer: Shareable) => void;
}

const answer = (data: Readonly<Record<string, unknown>>, headers: [string, string][]): GraphQLResponse => ({
  http: { status: undefined, headers: new HeaderMap(headers) },
  body: { kind: 'single', singleResult: { data: data } },
});

/**
 * The answer's `Cache-Control` for HTTP caches between the client and the gateway: its policy
 * when cacheable, but `private` for a verified caller (its answer may hold what only its class may
 * see, and `public` would let a shared cache keep a response to a request with credentials), and
 * `no-store` for a write, an error or an uncacheable answer. (Apollo's own header is turned off in
 * app.ts so that this is the only one.) An answer also depends on the request's language:
 * `Vary: Accept-Language` is added to the Express response by earlyAnswers.ts, not here, since a
 * `vary` in Apollo's headers would replace the `Vary: Origin` that cors sets.
 */
export function httpCacheControl(
  requestContext: GraphQLRequestContextWillSendResponse<ResponseCacheContext>,
  mutation: boolean,
): string {
  const { response } = requestContext;
  const policy = requestContext.overallCachePolicy.policyIfCacheable();
  if (mutation || policy === null || response.body.kind !== 'single' || response.body.singleResult.errors) {
    return 'no-store';
  }
  const verified = (requestContext.contextValue.caller ?? ANONYMOUS).subject !== null;
  return cacheControlHeader(policy.maxAge, verified || policy.scope === 'PRIVATE');
}

/** `Cache-Control` of a cacheable answer (`httpCacheControl`): `private` for a verified caller's. */
export function cacheControlHeader(maxAge: number, isPrivate: boolean): string {
  return `max-age=${maxAge}, ${isPrivate ? 'private' : 'public'}`;
}

/** The Apollo Server plugin: lookups before execution, storage and invalidation before the answer is sent. */
export function responseCachePlugin(options: ResponseCacheOptions): ResponseCachePlugin {
  const { store, logger } = options;
  const inFlight = new Map<string, Shared>();
  const waitMs = options.dedupeWaitMs ?? 30_000;
  // The store logs its own outages (redis.ts): a request that cannot use it bypasses the cache.
  const storeFailed = (error: unknown, what: string) =>
    logger.debug({ err: error, store: store.kind }, `response cache: ${what} failed; bypassing the cache`);

  return {
    async earlyAnswer(request, caller, language) {
      if (!options.caching) return null;
      const queryHash = earlyQueryHash(request);
      if (queryHash === null) return null;
      const key = answerKey(
        options.supergraphId(),
        queryHash,
        typeof request.operationName === 'string' ? request.operationName : null,
        isPlainObject(request.variables) ? request.variables : null,
        caller,
        language,
      );
      let found: PriorLookup['found'];
      try {
        found = await store.lookup(key);
      } catch {
        return null;
      }
      const now = Date.now();
      const { entry } = found;
      // An entry stored before entries named their operation is left to Apollo Server.
      if (!entry?.operation || !isFresh(entry, found.versions, now)) return { prior: { key, found } };
      options.onLookup?.('HIT');
      const age = Math.floor((now - entry.storedAt) / 1000);
      return {
        hit: { ...bodyOf(entry), age, maxAge: Math.max(0, entry.maxAge - age), queryHash, operation: entry.operation },
      };
    },

    // eslint-disable-next-line @typescript-eslint/require-await
    async requestDidStart() {
      let status: CacheStatus | undefined;
      let key: string | null = null;
      let flightKey: string | null = null;
      let startVersions: DataVersions | null = null;
      let leader: Shared | null = null;
      let mutation = false;

      /** Stores, shares or invalidates as the answer calls for, and says so in `x-cache`. */
      const settle = async (requestContext: GraphQLRequestContextWillSendResponse<ResponseCacheContext>) => {
        const { response } = requestContext;
        const fetched = requestContext.contextValue.fetched;
        if (mutation) {
          // Before the answer is sent: once a client has it, no cached answer predates the write.
          const subgraphs = fetched && fetched.size > 0 ? [...fetched] : [ANY_SUBGRAPH];
          try {
            await store.invalidate(subgraphs);
          } catch (error) {
            logger.error(
              { err: error, store: store.kind, subgraphs },
              'response cache: a write could not invalidate the cached answers of its subgraphs; they may be served until they expire',
            );
          }
          return;
        }
        if (status === 'HIT' || status === 'SHARED' || status === 'BYPASS') {
          response.http.headers.set('x-cache', status);
          options.onLookup?.(status);
          return;
        }
        if (key === null || startVersions === null) return;
        const policy = requestContext.overallCachePolicy.policyIfCacheable();
        const shareable =
          response.body.kind === 'single' &&
          !response.body.singleResult.errors &&
          response.body.singleResult.data != null &&
          policy !== null &&
          policy.scope === 'PUBLIC';
        const data =
          shareable && response.body.kind === 'single' ? JSON.stringify(response.body.singleResult.data) : null;
        if (leader && flightKey) {
          inFlight.delete(flightKey);
          leader.resolve(
            data !== null && policy !== null
              ? { data, value: deepFreeze(JSON.parse(data) as Record<string, unknown>), maxAge: policy.maxAge }
              : null,
          );
        }
        // An answer no subgraph contributed to (the gateway's own) has no versions to record: not kept.
        const storable =
          data !== null && policy !== null && options.caching && fetched !== undefined && fetched.size > 0;
        status = storable ? 'MISS' : 'UNCACHEABLE';
        response.http.headers.set('x-cache', status);
        options.onLookup?.(status);
        if (!storable) return;
        const versions: Record<string, number> = { [ANY_SUBGRAPH]: startVersions[ANY_SUBGRAPH] ?? 0 };
        for (const subgraph of fetched) versions[subgraph] = startVersions[subgraph] ?? 0;
        const operation: AnswerOperation = {
          name: requestContext.operationName ?? null,
          coordinates: options.coordinatesOf?.(requestContext) ?? [],
        };
        try {
          await store.save(key, { data, storedAt: Date.now(), maxAge: policy.maxAge, versions, operation });
        } catch (error) {
          storeFailed(error, 'save');
        }
      };

      return {
        async responseForOperation(requestContext) {
          const operation = requestContext.operation?.operation;
          if (operation === OperationTypeNode.MUTATION) {
            mutation = true;
            return null;
          }
          if (operation !== OperationTypeNode.QUERY) return null;
          const caller = requestContext.contextValue.caller ?? ANONYMOUS;
          key = answerKey(
            options.supergraphId(),
            requestContext.queryHash!,
            requestContext.request.operationName ?? null,
            requestContext.request.variables ?? null,
            caller,
            negotiateLanguage(requestContext.request.http?.headers.get(LANGUAGE_HEADER)),
          );
          let found: PriorLookup['found'];
          const prior = requestContext.contextValue.priorLookup;
          if (prior && prior.key === key) {
            found = prior.found;
          } else {
            try {
              found = await store.lookup(options.caching ? key : null);
            } catch (error) {
              storeFailed(error, 'lookup');
              status = 'BYPASS';
              return null;
            }
          }
          const now = Date.now();
          if (found.entry && isFresh(found.entry, found.versions, now)) {
            const age = Math.floor((now - found.entry.storedAt) / 1000);
            status = 'HIT';
            requestContext.overallCachePolicy.replace({
              maxAge: Math.max(0, found.entry.maxAge - age),
              scope: 'PUBLIC',
            });
            return answer(valueOf(found.entry), [['age', String(age)]]);
          }
          startVersions = found.versions;
          if (!options.dedupe) return null;
          flightKey = `${key}:${stringify(found.versions)}`;
          const running = inFlight.get(flightKey);
          if (running) {
            flightKey = null;
            const shared = await Promise.race([
              running.promise,
              new Promise<null>((resolve) => setTimeout(() => resolve(null), waitMs).unref()),
            ]);
            if (shared !== null) {
              status = 'SHARED';
              requestContext.overallCachePolicy.replace({ maxAge: shared.maxAge, scope: 'PUBLIC' });
              return answer(shared.value, []);
            }
            return null;
          }
          let resolve!: (answer: Shareable) => void;
          const promise = new Promise<Shareable>((done) => (resolve = done));
          leader = { promise, resolve };
          inFlight.set(flightKey, leader);
          return null;
        },

        async willSendResponse(requestContext) {
          try {
            await settle(requestContext);
          } finally {
            requestContext.response.http.headers.set('cache-control', httpCacheControl(requestContext, mutation));
          }
        },
      };
    },
  };
}

/** `GraphQLRequestContext` of this plugin's context, for callers that build one. */
export type ResponseCacheRequestContext = GraphQLRequestContext<ResponseCacheContext>;
