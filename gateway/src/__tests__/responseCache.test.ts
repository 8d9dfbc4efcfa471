import { randomUUID } from 'node:crypto';
import { ANONYMOUS } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { Redis } from 'ioredis';
import {
  accessClass,
  ANY_SUBGRAPH,
  MemoryResponseCacheStore,
  RedisResponseCacheStore,
  type CachedAnswer,
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

describe.each([
  ['memory', () => new MemoryResponseCacheStore({ caching: true, maxEntries: 100, maxBytes: 1 << 20 })],
  [
    'Redis',
    () =>
      new RedisResponseCacheStore({
        url: REDIS_URL,
        keyPrefix: `bicentennial-test:rc-unit:${randomUUID()}:`,
        caching: true,
        logger: silentLogger,
      }),
  ],
])('the %s store', (_name, create) => {
  let store: ResponseCacheStore;
  beforeEach(() => {
    store = create();
  });
  afterEach(async () => {
    if (store instanceof RedisResponseCacheStore) {
      const client = new Redis(REDIS_URL);
      const keys = await client.keys('bicentennial-test:rc-unit:*');
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
    await store.close();
  });

  it('returns what was saved, with the current versions (0 for a subgraph never written)', async () => {
    expect(await store.lookup('k')).toEqual({ entry: undefined, versions: {} });
    const saved = entry({ [ANY_SUBGRAPH]: 0, firearms: 0 });
    await store.save('k', saved);
    const found = await store.lookup('k');
    expect(found.versions).toEqual({});
    expect(found.entry).toMatchObject(saved);
    // In memory the data is kept parsed and frozen (a hit is not parsed again); Redis keeps the JSON only.
    if (store.kind === 'memory') {
      expect(found.entry!.value).toEqual({ a: 1 });
      expect(Object.isFrozen(found.entry!.value)).toBe(true);
    } else {
      expect(found.entry!.value).toBeUndefined();
    }
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
