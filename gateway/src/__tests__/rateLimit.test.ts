import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createRateLimiter, MemoryBuckets, type RateLimitDecision, type RateLimiter } from '../rateLimit';

/**
 * Needs the Redis at 127.0.0.1:6379 (REDIS_TEST_URL overrides). Every run uses keys of its own
 * (a random prefix) and deletes them afterwards.
 */
const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';
const PREFIX = `test:ratelimit:${randomUUID()}:`;
/** So slow that no test sees a token come back unless it waits on purpose (one per ~11 days). */
const NO_REFILL = 0.000001;

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  type Line = { level: number; msg: string };
  const lines: Line[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  const messages = (level: 'warn' | 'info') =>
    lines.filter((line) => line.level === pino.levels.values[level]).map((line) => line.msg);
  return { logger, messages };
}

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const allowedCount = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed).length;

/** Takes `count` tokens one after the other. */
async function takeMany(limiter: RateLimiter, key: string, count: number): Promise<RateLimitDecision[]> {
  const decisions: RateLimitDecision[] = [];
  for (let n = 0; n < count; n += 1) decisions.push(await limiter.take(key));
  return decisions;
}

/** A take that must be answered within 2 s (generous: it is about never hanging, not speed). */
async function takeWithin2s(limiter: RateLimiter, key: string): Promise<RateLimitDecision> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('take() took more than 2 s')), 2_000);
  });
  try {
    return await Promise.race([limiter.take(key), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback port nothing listens on (the kernel picked it free, then it was released). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A TCP proxy to Redis that a test can take down (connections cut, port closed), bring back up on
 * the same port, or hang (connections stay open, nothing forwarded until `resume`: bytes are held,
 * not dropped, so replies stay in order).
 */
class RedisProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private hung = false;
  private readonly held: (() => void)[] = [];
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Chunks held back since `hang`: one per write the client tried. */
  get heldCount(): number {
    return this.held.length;
  }

  hang(): void {
    this.hung = true;
  }

  resume(): void {
    this.hung = false;
    for (const send of this.held.splice(0)) send();
  }

  private forward(client: Socket): void {
    const upstream = new Socket();
    upstream.connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    const relay = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => (this.hung ? this.held.push(() => to.write(chunk)) : to.write(chunk)));
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    };
    relay(client, upstream);
    relay(upstream, client);
  }
}

describe('memory buckets (a clock the test moves)', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('allows capacity requests, then refuses with the seconds until one token, and refills continuously', () => {
    const buckets = new MemoryBuckets(3, 0.5, 100, clock); // a token every 2 s
    expect([1, 2, 3].map(() => buckets.take('sub:a'))).toEqual([
      { allowed: true, retryAfterSeconds: 0, remaining: 2 },
      { allowed: true, retryAfterSeconds: 0, remaining: 1 },
      { allowed: true, retryAfterSeconds: 0, remaining: 0 },
    ]);
    expect(buckets.take('sub:a')).toEqual({ allowed: false, retryAfterSeconds: 2, remaining: 0 });
    now += 1_500; // three quarters of a token: still refused, 0.5 s to go, said as 1
    expect(buckets.take('sub:a')).toEqual({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
    now += 500;
    expect(buckets.take('sub:a')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    // Another caller has its own bucket.
    expect(buckets.take('ip:192.0.2.1')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 2 });
    // Never more than capacity, however long the wait.
    now += 3_600_000;
    expect(buckets.take('sub:a').remaining).toBe(2);
  });

  it('takes several tokens at once, all or none, waiting for all of them; never more than the capacity', () => {
    const buckets = new MemoryBuckets(5, 1, 100, clock); // a token a second
    expect(buckets.take('sub:batch', 3)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 2 });
    // Three more do not fit in the two left: none is taken, and the wait is for the one missing.
    expect(buckets.take('sub:batch', 3)).toEqual({ allowed: false, retryAfterSeconds: 1, remaining: 2 });
    expect(buckets.take('sub:batch', 2)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    now += 10_000; // full again
    // More than the capacity is taken as the capacity (a batch bigger than the bucket is not refused forever).
    expect(buckets.take('sub:batch', 50)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    expect(buckets.take('sub:batch', 50)).toEqual({ allowed: false, retryAfterSeconds: 5, remaining: 0 });
    // Nonsense counts take one.
    now += 10_000;
    expect([0, -3, Number.NaN].map((count) => buckets.take('sub:odd', count).remaining)).toEqual([4, 3, 2]);
  });

  it('drops buckets idle long enough to be full again, so a flood of callers does not stay in memory', () => {
    const buckets = new MemoryBuckets(10, 5, 1_000_000, clock); // full again after 2 s
    for (let n = 0; n < 5_000; n += 1) buckets.take(`ip:flood-${n}`);
    expect(buckets.size).toBe(5_000);
    now += 1_999;
    buckets.take('sub:kept');
    expect(buckets.size).toBe(5_001); // not yet full: none dropped
    now += 1;
    buckets.take('sub:kept');
    expect(buckets.size).toBe(1); // the flood is full again and gone; the recent caller stays
    // A dropped bucket comes back full, exactly as it would have been.
    expect(buckets.take('ip:flood-0')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 9 });
  });

  it('keeps at most maxBuckets, dropping the least recently used', () => {
    const buckets = new MemoryBuckets(2, NO_REFILL, 3, clock);
    buckets.take('a');
    buckets.take('b');
    buckets.take('c');
    buckets.take('a'); // a is now the most recent; b the least
    buckets.take('d');
    expect(buckets.size).toBe(3);
    expect(buckets.take('a')).toMatchObject({ allowed: false }); // kept: its third take
    expect(buckets.take('b')).toMatchObject({ allowed: true, remaining: 1 }); // dropped: full again
  });
});

describe('createRateLimiter', () => {
  it('refuses settings that make no bucket', () => {
    const base = { keyPrefix: PREFIX, logger: silent };
    expect(() => createRateLimiter({ ...base, capacity: 0, refillPerSecond: 1 })).toThrow(/capacity/);
    expect(() => createRateLimiter({ ...base, capacity: 1.5, refillPerSecond: 1 })).toThrow(/capacity/);
    expect(() => createRateLimiter({ ...base, capacity: 5, refillPerSecond: 0 })).toThrow(/refill/);
    expect(() => createRateLimiter({ ...base, capacity: 5, refillPerSecond: Infinity })).toThrow(/refill/);
  });

  it('in memory (no redisUrl): allows capacity, refuses with Retry-After, then refills', async () => {
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 20, keyPrefix: PREFIX, logger: silent });
    expect(await takeMany(limiter, 'sub:mem', 3)).toEqual([
      { allowed: true, retryAfterSeconds: 0, remaining: 1 },
      { allowed: true, retryAfterSeconds: 0, remaining: 0 },
      { allowed: false, retryAfterSeconds: 1, remaining: 0 }, // 50 ms to a token, said as 1 s
    ]);
    await sleep(120);
    expect((await limiter.take('sub:mem')).allowed).toBe(true);
    await limiter.close();
  });
});

describe('Redis buckets', () => {
  let redis: Redis;
  const limiters: RateLimiter[] = [];
  const limiter = (options: { capacity: number; refillPerSecond: number; redisUrl?: string }, logger = silent) => {
    const created = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: PREFIX, logger, ...options });
    limiters.push(created);
    return created;
  };

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((created) => created.close()));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('allows capacity, refuses with Retry-After, refills, and keeps the bucket only until it would be full', async () => {
    const slow = limiter({ capacity: 3, refillPerSecond: 0.5 }); // a token every 2 s
    expect(await takeMany(slow, 'sub:alice', 4)).toEqual([
      { allowed: true, retryAfterSeconds: 0, remaining: 2 },
      { allowed: true, retryAfterSeconds: 0, remaining: 1 },
      { allowed: true, retryAfterSeconds: 0, remaining: 0 },
      { allowed: false, retryAfterSeconds: 2, remaining: 0 },
    ]);
    // The bucket is in Redis, under the prefix, expiring when it would be full again (≤ 6 s).
    expect(await redis.hkeys(`${PREFIX}sub:alice`)).toEqual(['tokens', 'ts']);
    const ttl = await redis.pttl(`${PREFIX}sub:alice`);
    expect(ttl).toBeGreaterThan(5_000);
    expect(ttl).toBeLessThanOrEqual(6_000);

    const fast = limiter({ capacity: 2, refillPerSecond: 20 });
    expect(await takeMany(fast, 'sub:bob', 3)).toEqual([
      { allowed: true, retryAfterSeconds: 0, remaining: 1 },
      { allowed: true, retryAfterSeconds: 0, remaining: 0 },
      { allowed: false, retryAfterSeconds: 1, remaining: 0 },
    ]);
    await sleep(120);
    expect((await fast.take('sub:bob')).allowed).toBe(true);
  });

  it('takes several tokens at once in Redis, all or none, as memory does', async () => {
    const batches = limiter({ capacity: 5, refillPerSecond: NO_REFILL });
    expect(await batches.take('sub:batch', 3)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 2 });
    const refused = await batches.take('sub:batch', 3);
    expect([refused.allowed, refused.remaining]).toEqual([false, 2]);
    expect(await batches.take('sub:batch', 2)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    // More than the capacity is taken as the capacity.
    expect(await batches.take('sub:big-batch', 50)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
  });

  it('shares a bucket between two limiters (two Redis clients): they exceed it together, never more', async () => {
    const first = limiter({ capacity: 4, refillPerSecond: NO_REFILL });
    const second = limiter({ capacity: 4, refillPerSecond: NO_REFILL });
    expect(await takeMany(first, 'ip:198.51.100.7', 2)).toMatchObject([{ remaining: 3 }, { remaining: 2 }]);
    expect(await takeMany(second, 'ip:198.51.100.7', 3)).toMatchObject([
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false },
    ]);
    expect((await first.take('ip:198.51.100.7')).allowed).toBe(false);

    // At the same time, from both: exactly capacity allowed (the Lua script is atomic).
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, n) => (n % 2 === 0 ? first : second).take('sub:burst')),
    );
    expect(allowedCount(burst)).toBe(4);
  });

  it('shares a bucket between two Node processes', async () => {
    const capacity = 5;
    // Each process takes 4 tokens from the same bucket, both at once: 8 asked, 5 allowed in all.
    // A generous Redis timeout: a process starting on a busy machine must not fall back to memory
    // (its own bucket) for being slow to connect; the fallback has tests of its own below.
    const script = `
      const pino = require('pino');
      const { createRateLimiter } = require('./src/rateLimit.ts');
      (async () => {
        const limiter = createRateLimiter({ capacity: ${capacity}, refillPerSecond: ${NO_REFILL},
          redisUrl: ${JSON.stringify(REDIS_URL)}, keyPrefix: ${JSON.stringify(PREFIX)}, redisTimeoutMs: 10000,
          logger: pino({ level: 'silent' }) });
        const decisions = [];
        for (let n = 0; n < 4; n += 1) decisions.push(await limiter.take('sub:two-processes'));
        await limiter.close();
        process.stdout.write(JSON.stringify(decisions));
      })();
    `;
    const run = () =>
      promisify(execFile)(process.execPath, ['--conditions=@bicentennial/source', '--import', 'tsx', '-e', script], {
        cwd: path.resolve(__dirname, '../..'),
        timeout: 30_000,
      });
    const outputs = await Promise.all([run(), run()]);
    const decisions = outputs.map(({ stdout }) => JSON.parse(stdout) as RateLimitDecision[]);
    expect(decisions.map((taken) => taken.length)).toEqual([4, 4]);
    expect(allowedCount(decisions.flat())).toBe(capacity);
    expect((await redis.hget(`${PREFIX}sub:two-processes`, 'tokens'))?.startsWith('0.')).toBe(true);
  });

  it('with Redis unreachable, answers from memory at once and stays limited, warning once', async () => {
    const { logger, messages } = capturingLogger();
    const port = await unusedPort();
    const offline = limiter({ capacity: 2, refillPerSecond: NO_REFILL, redisUrl: `redis://127.0.0.1:${port}` }, logger);
    const decisions: RateLimitDecision[] = [];
    for (let n = 0; n < 4; n += 1) decisions.push(await takeWithin2s(offline, 'sub:offline'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false, false]);
    expect(decisions[2]?.retryAfterSeconds).toBeGreaterThan(0);
    expect(messages('warn')).toEqual([
      'Redis unreachable: rate limits are per gateway process, from memory, until it is back',
    ]);
  });

  it('falls back to memory when Redis goes down, and back to the shared bucket when it returns', async () => {
    const proxy = new RedisProxy({ host: '127.0.0.1', port: 6379 });
    await proxy.up();
    try {
      const { logger, messages } = capturingLogger();
      const key = 'sub:outage';
      const limited = limiter({ capacity: 10, refillPerSecond: NO_REFILL, redisUrl: proxy.url }, logger);
      const redisTokens = async () => Math.floor(Number(await redis.hget(`${PREFIX}${key}`, 'tokens')));

      expect(await takeMany(limited, key, 2)).toMatchObject([{ remaining: 9 }, { remaining: 8 }]);
      expect(await redisTokens()).toBe(8);

      await proxy.down();
      // A bucket of this process's own, starting full; Redis's is left as it was.
      expect(await takeWithin2s(limited, key)).toMatchObject({ allowed: true, remaining: 9 });
      expect(await takeWithin2s(limited, key)).toMatchObject({ allowed: true, remaining: 8 });
      expect(await redisTokens()).toBe(8);
      expect(messages('warn')).toHaveLength(1);

      await proxy.up();
      // Reconnection is in the background: the first take answered from Redis again shows there.
      let back = false;
      for (let attempt = 0; attempt < 50 && !back; attempt += 1) {
        await sleep(100);
        await limited.take(key);
        back = (await redisTokens()) < 8;
      }
      expect(back).toBe(true);
      expect(messages('info')).toEqual(['Redis reachable again: rate limits are shared through Redis again']);
      expect(messages('warn')).toHaveLength(1);
      const left = await redisTokens();
      expect(await limited.take(key)).toMatchObject({ remaining: left - 1 });
    } finally {
      await proxy.down();
    }
  });

  it('when Redis accepts but stops answering, times out quickly and leaves it alone for a while', async () => {
    const proxy = new RedisProxy({ host: '127.0.0.1', port: 6379 });
    await proxy.up();
    try {
      const { logger, messages } = capturingLogger();
      const key = 'sub:hung';
      const limited = limiter({ capacity: 10, refillPerSecond: NO_REFILL, redisUrl: proxy.url }, logger);
      expect(await limited.take(key)).toMatchObject({ remaining: 9 });

      proxy.hang();
      // The command times out (200 ms) and memory answers; the next takes skip Redis altogether.
      expect(await takeWithin2s(limited, key)).toMatchObject({ allowed: true, remaining: 9 });
      const sent = proxy.heldCount;
      expect(sent).toBeGreaterThan(0);
      expect(await takeWithin2s(limited, key)).toMatchObject({ allowed: true, remaining: 8 });
      expect(proxy.heldCount).toBe(sent); // nothing more was sent to Redis
      expect(messages('warn')).toHaveLength(1);

      proxy.resume();
      await sleep(1_100); // past the time Redis is left alone
      await limited.take(key);
      expect(messages('info')).toHaveLength(1);
    } finally {
      await proxy.down();
    }
  });
});
