import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ANONYMOUS, type Language } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import {
  accessClass,
  answerKey,
  ANY_SUBGRAPH,
  responseCachePlugin,
  MemoryResponseCacheStore,
  RedisResponseCacheStore,
  type CachedAnswer,
  type ResponseCacheContext,
  type ResponseCacheStore,
  type VersionPeers,
} from '../responseCache';

const REDIS_URL = 'redis://127.0.0.1:6379';

const entry = (versions: Record<string, number>, maxAge = 60, data = '{"a":1}'): CachedAnswer => ({
  data,
  storedAt: Date.now(),
  maxAge,
  versions,
});

/** Both stores, each made fresh; Redis keys under `bicentennial-test:<tag>:`. */
const stores = (tag: string): [string, () => ResponseCacheStore][] => [
  ['memory', () => new MemoryResponseCacheStore({ caching: true, maxEntries: 100, maxBytes: 1 << 20 })],
  [
    'Redis',
    () =>
      new RedisResponseCacheStore({
        url: REDIS_URL,
        keyPrefix: `bicentennial-test:${tag}:${randomUUID()}:`,
        caching: true,
        logger: silentLogger,
      }),
  ],
];

/** Removes the Redis keys a test's stores left under `bicentennial-test:<tag>:`. */
async function dropKeys(tag: string): Promise<void> {
  const client = new Redis(REDIS_URL);
  const keys = await client.keys(`bicentennial-test:${tag}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}

describe('accessClass', () => {
  const caller = { subject: 'a-1', agency: 'ATF', country: 'US' as const, scopes: ['firearms:write', 'audit:read'] };

  it('is the same for callers who differ only in who they are, or in the order of their scopes', () => {
    expect(accessClass({ ...caller, subject: 'a-2', scopes: ['audit:read', 'firearms:write'] })).toBe(
      accessClass(caller),
    );
  });

  it('differs with anything authorization or releasability reads', () => {
    const classes = new Set([
      accessClass(caller),
      accessClass(ANONYMOUS),
      accessClass({ ...caller, country: 'MX' }),
      accessClass({ ...caller, agency: 'CBP' }),
      accessClass({ ...caller, scopes: ['firearms:write'] }),
    ]);
    expect(classes.size).toBe(5);
  });
});

describe.each(stores('rc-unit'))('the %s store', (_name, create) => {
  let store: ResponseCacheStore;
  beforeEach(() => {
    store = create();
  });
  afterEach(async () => {
    if (store instanceof RedisResponseCacheStore) await dropKeys('rc-unit');
    await store.close();
  });

  it('returns what was saved, with the current versions (0 for a subgraph never written)', async () => {
    expect(await store.lookup('k')).toEqual({ entry: undefined, versions: {} });
    const saved = entry({ [ANY_SUBGRAPH]: 0, firearms: 0 });
    await store.save('k', saved);
    const found = await store.lookup('k');
    expect(found.versions).toEqual({});
    expect(found.entry).toMatchObject(saved);
  });

  it('bumps the versions of the subgraphs a write reached, and only those', async () => {
    await store.invalidate(['firearms']);
    await store.invalidate(['firearms', 'finance']);
    expect((await store.lookup(null)).versions).toEqual({ firearms: 2, finance: 1 });
  });

  it('lets an entry expire with its maxAge', async () => {
    await store.save('short', entry({}, 1));
    expect((await store.lookup('short')).entry).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await store.lookup('short')).entry).toBeUndefined();
  });
});

describe('the memory store', () => {
  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const store = new MemoryResponseCacheStore({ caching: true, maxEntries: 2, maxBytes: 1 << 20 });
    await store.save('a', entry({}));
    await store.save('b', entry({}));
    await store.lookup('a');
    await store.save('c', entry({}));
    expect((await store.lookup('b')).entry).toBeUndefined();
    expect((await store.lookup('a')).entry).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('keeps nothing with caching off, but still tracks versions', async () => {
    const store = new MemoryResponseCacheStore({ caching: false, maxEntries: 2, maxBytes: 1 << 20 });
    await store.save('a', entry({}));
    await store.invalidate(['firearms']);
    expect(await store.lookup('a')).toEqual({ entry: undefined, versions: { firearms: 1 } });
  });

  it('announces its bumps to its peers, waits for them, and applies theirs', async () => {
    let listener: ((subgraphs: readonly string[]) => void) | undefined;
    const announced: string[][] = [];
    const peers: VersionPeers = {
      announce: (subgraphs) => {
        announced.push([...subgraphs]);
        return Promise.resolve();
      },
      onAnnounce: (l) => (listener = l),
    };
    const store = new MemoryResponseCacheStore({ caching: true, maxEntries: 2, maxBytes: 1 << 20, peers });
    await store.invalidate(['finance']);
    listener!(['firearms']);
    expect(announced).toEqual([['finance']]);
    expect((await store.lookup(null)).versions).toEqual({ finance: 1, firearms: 1 });
  });
});

describe('the Redis store with Redis unreachable', () => {
  it('fails a lookup at once (its request bypasses the cache) instead of waiting', async () => {
    const store = new RedisResponseCacheStore({
      url: 'redis://127.0.0.1:9',
      keyPrefix: 'x:',
      caching: true,
      logger: silentLogger,
      timeoutMs: 100,
    });
    const started = performance.now();
    await expect(store.lookup('k')).rejects.toThrow(/not usable/);
    // Bounded by one timeout (the wait for a first connection), far from a hang.
    expect(performance.now() - started).toBeLessThan(5_000);
    await store.close();
  });
});

describe.each(stores('rc-early'))('earlyAnswer over the %s store', (_name, create) => {
  const query = 'query Dashboard { goals { id } }';
  const queryHash = createHash('sha256').update(query).digest('hex');
  const operation = { name: 'Dashboard', coordinates: ['Goal.id', 'Query.goals'] };
  let store: ResponseCacheStore;
  let lookups: string[];
  const plugin = (caching = true) =>
    responseCachePlugin({
      store,
      caching,
      dedupe: false,
      supergraphId: () => 'sg-1',
      logger: silentLogger,
      onLookup: (status) => lookups.push(status),
    });
  const keyOf = (
    operationName: string | null,
    variables: Record<string, unknown> | null,
    caller = ANONYMOUS,
    language: Language = 'EN',
  ) => answerKey('sg-1', queryHash, operationName, variables, caller, language);

  beforeEach(async () => {
    store = create();
    lookups = [];
    await store.save(keyOf('Dashboard', { year: 2024 }), {
      ...entry({ [ANY_SUBGRAPH]: 0, framework: 0 }, 60, '{"goals":[{"id":"1"}]}'),
      operation,
    });
  });
  afterEach(async () => {
    if (store instanceof RedisResponseCacheStore) await dropKeys('rc-early');
    await store.close();
  });

  const request = { query, operationName: 'Dashboard', variables: { year: 2024 } };

  it('serves a fresh entry as Apollo Server writes it, with what its audit event and metrics name', async () => {
    const answer = await plugin().earlyAnswer(request, ANONYMOUS, 'EN');
    expect(answer?.hit).toBeDefined();
    const hit = answer!.hit!;
    expect(hit.body.toString()).toBe('{"data":{"goals":[{"id":"1"}]}}\n');
    expect(hit.etag).toMatch(/^W\/"/);
    expect(hit).toMatchObject({ queryHash, operation, age: 0 });
    expect(hit.maxAge).toBeGreaterThan(58);
    expect(lookups).toEqual(['HIT']);
    // The same entry by its APQ hash alone, or with a matching one.
    const persistedQuery = { version: 1, sha256Hash: queryHash };
    const { query: _query, ...byHash } = request;
    expect(
      (await plugin().earlyAnswer({ ...byHash, extensions: { persistedQuery } }, ANONYMOUS, 'EN'))?.hit,
    ).toBeDefined();
    expect(
      (await plugin().earlyAnswer({ ...request, extensions: { persistedQuery } }, ANONYMOUS, 'EN'))?.hit,
    ).toBeDefined();
  });

  it('hands over what it found for a request whose key has no fresh entry, so that it is not looked up twice', async () => {
    const other = await plugin().earlyAnswer({ ...request, variables: { year: 2025 } }, ANONYMOUS, 'EN');
    expect(other).toEqual({
      prior: { key: keyOf('Dashboard', { year: 2025 }), found: { entry: undefined, versions: {} } },
    });
    // Another access class, another key.
    const verified = { subject: 'a-1', agency: 'ATF', country: 'US' as const, scopes: [] };
    expect((await plugin().earlyAnswer(request, verified, 'EN'))?.prior?.key).toBe(
      keyOf('Dashboard', { year: 2024 }, verified),
    );
    // Another language, another key: the English entry is not served to a request for Spanish.
    expect(await plugin().earlyAnswer(request, ANONYMOUS, 'ES')).toEqual({
      prior: { key: keyOf('Dashboard', { year: 2024 }, ANONYMOUS, 'ES'), found: { entry: undefined, versions: {} } },
    });
    // Outdated by a write: not served.
    await store.invalidate(['framework']);
    const outdated = await plugin().earlyAnswer(request, ANONYMOUS, 'EN');
    expect(outdated?.hit).toBeUndefined();
    expect(outdated?.prior?.found.entry).toBeDefined();
    expect(lookups).toEqual([]);
  });

  it('leaves anything unusual, and everything with caching off, to Apollo Server', async () => {
    const wrongHash = { version: 1, sha256Hash: 'f'.repeat(64) };
    for (const unusual of [
      { ...request, query: '' },
      { ...request, query: 42 },
      { ...request, operationName: ['Dashboard'] },
      { ...request, variables: [2024] },
      { ...request, variables: '{"year":2024}' },
      { ...request, extensions: { persistedQuery: wrongHash } },
      { ...request, extensions: { persistedQuery: { version: 2, sha256Hash: queryHash } } },
      { ...request, extensions: { persistedQuery: { version: 1, sha256Hash: queryHash }, other: true } },
      { operationName: 'Dashboard', variables: { year: 2024 } },
    ]) {
      expect([unusual, await plugin().earlyAnswer(unusual, ANONYMOUS, 'EN')]).toEqual([unusual, null]);
    }
    expect(await plugin(false).earlyAnswer(request, ANONYMOUS, 'EN')).toBeNull();
  });
});

describe.each(stores('rc-language'))('the plugin through Apollo Server over the %s store', (_name, create) => {
  let store: ResponseCacheStore;
  let server: ApolloServer<ResponseCacheContext>;
  beforeEach(async () => {
    store = create();
    server = new ApolloServer<ResponseCacheContext>({
      typeDefs: 'type Query { "G." greeting: String }',
      resolvers: { Query: { greeting: () => 'hello' } },
      plugins: [
        ApolloServerPluginCacheControl({ defaultMaxAge: 60, calculateHttpHeaders: false }),
        responseCachePlugin({ store, caching: true, dedupe: false, supergraphId: () => 'sg-1', logger: silentLogger }),
      ],
    });
    await server.start();
  });
  afterEach(async () => {
    await server.stop();
    if (store instanceof RedisResponseCacheStore) await dropKeys('rc-language');
    await store.close();
  });

  /** `{ greeting }` with this Accept-Language (none when undefined): what the cache said. */
  const ask = async (acceptLanguage?: string) => {
    const headers = new HeaderMap(acceptLanguage === undefined ? [] : [['accept-language', acceptLanguage]]);
    const response = await server.executeOperation(
      { query: '{ greeting }', http: { method: 'POST', headers, search: '', body: {} } },
      { contextValue: { caller: ANONYMOUS, fetched: new Set(['framework']) } },
    );
    return response.http.headers.get('x-cache');
  };

  it("keys an answer on the request's negotiated language, not on the raw header", async () => {
    expect(await ask()).toBe('MISS');
    // English asked otherwise (or neither language): the same entry.
    for (const header of ['en-US,en;q=0.9', 'de', '']) expect([header, await ask(header)]).toEqual([header, 'HIT']);
    // Spanish: an entry of its own, then shared by every header that prefers Spanish.
    expect(await ask('es-MX,es;q=0.9')).toBe('MISS');
    for (const header of ['es', 'es-419', 'en;q=0.3, es;q=0.7']) {
      expect([header, await ask(header)]).toEqual([header, 'HIT']);
    }
    expect(await ask('en')).toBe('HIT');
  });
});
