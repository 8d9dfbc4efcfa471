import type { Logger } from '@bicentennial/service';
import type { Redis } from 'ioredis';
import { connectRedis } from './redis';

/*
 * Per-caller rate limits (README text, copy as is):
 *
 * Every caller has a token bucket of RATE_LIMIT_CAPACITY tokens, refilled continuously at
 * RATE_LIMIT_REFILL_PER_SECOND; each request takes one, a batch one per operation it holds (at
 * most the bucket's capacity), and a request finding too few tokens in the bucket takes none and
 * is answered 429 RATE_LIMITED with `Retry-After` (whole seconds until there are enough). A verified
 * caller's bucket is keyed by its subject (`sub:<subject>`), an anonymous caller's by its address
 * (`ip:<address>`).
 *
 * - Without REDIS_URL the buckets live in the gateway's memory: each replica limits on its own.
 *   Memory stays bounded whatever the number of distinct callers: a bucket that has had time to
 *   refill is full, the same as no bucket, and is dropped; past a hard cap of buckets the least
 *   recently used is dropped (that caller starts again with a full bucket).
 * - With REDIS_URL every replica keeps its buckets in Redis (one hash per caller, `tokens` and
 *   `ts`, updated by one Lua script so concurrent replicas never lose a take), timed by the Redis
 *   server's clock so replicas with skewed clocks agree. A bucket expires once it would be full again.
 * - Redis down does not take the gateway down. Redis commands time out after 200 ms and are never
 *   queued while the connection is down; the client reconnects in the background (at most a second
 *   between attempts). Until Redis answers again each replica limits from buckets of its own, in
 *   memory, starting full: callers stay limited, but to the capacity per replica rather than per
 *   deployment. The gateway logs one warning when the outage starts and one info line when Redis
 *   is back; the in-memory buckets are then dropped and Redis's, where they left off, apply again.
 *   A Redis that accepts connections but stops answering costs the requests that find it so 200 ms,
 *   then is left alone for a second before being tried again.
 */

export interface RateLimitDecision {
  /** Whether the request may go on (it took a token). */
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until the bucket has a token again (for `Retry-After`). */
  retryAfterSeconds: number;
  /** Whole tokens left in the bucket after this request. */
  remaining: number;
}

export interface RateLimiter {
  /**
   * Takes `count` tokens (default 1, at most the capacity: more is taken as the capacity) from
   * `callerKey`'s bucket, all or none. Never rejects: a Redis failure falls back to memory.
   */
  take(callerKey: string, count?: number): Promise<RateLimitDecision>;
  /** Closes the Redis connection, if any. Idempotent. */
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Tokens in a full bucket: the burst a caller may send at once. A whole number, at least 1. */
  capacity: number;
  /** Tokens added back per second, continuously (fractions allowed: 0.5 = one every two seconds). */
  refillPerSecond: number;
  /** Keep buckets in this Redis (shared by every gateway replica); in memory when not given. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key (`${keyPrefix}${callerKey}`), e.g. `bicentennial:ratelimit:`. */
  keyPrefix: string;
  logger: Logger;
  /** Most buckets kept in memory (default 100,000); past it the least recently used is dropped. */
  maxMemoryBuckets?: number;
  /** Redis connect and command timeout in ms (default 200). */
  redisTimeoutMs?: number;
}

const DEFAULT_MAX_MEMORY_BUCKETS = 100_000;
const DEFAULT_REDIS_TIMEOUT_MS = 200;

/** Tokens a take of `count` takes: a whole number from 1 to the capacity (a bucket never holds more). */
const tokensWanted = (count: number, capacity: number) =>
  Number.isFinite(count) ? Math.min(capacity, Math.max(1, Math.ceil(count))) : 1;

/** Whole seconds for `Retry-After`: a wait of 1 ms still says 1 (0 would invite an immediate retry). */
const toRetryAfter = (waitMs: number) => (waitMs <= 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)));

function checkOptions({ capacity, refillPerSecond, maxMemoryBuckets }: RateLimiterOptions): void {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`Rate limit capacity must be a whole number of at least 1 (got ${capacity})`);
  }
  if (!Number.isFinite(refillPerSecond) || refillPerSecond <= 0) {
    throw new RangeError(`Rate limit refill must be a positive number of tokens per second (got ${refillPerSecond})`);
  }
  if (maxMemoryBuckets !== undefined && (!Number.isInteger(maxMemoryBuckets) || maxMemoryBuckets < 1)) {
    throw new RangeError(`Rate limit maxMemoryBuckets must be a whole number of at least 1 (got ${maxMemoryBuckets})`);
  }
}

interface MemoryBucket {
  tokens: number;
  /** When `tokens` was last worked out (performance.now(), ms: monotonic, unlike Date.now()). */
  at: number;
}

/**
 * Buckets in a Map. The Map's order is the order of last use (a bucket is moved to the end each time
 * it is taken from), so the buckets idle long enough to be full again are all at its start: each
 * take drops those (amortised constant time, no timer), and a bucket past `maxBuckets` is the least
 * recently used one.
 */
export class MemoryBuckets {
  private readonly buckets = new Map<string, MemoryBucket>();
  /** Time for an empty bucket to fill: a bucket idle that long is full, the same as no bucket. */
  private readonly fillMs: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly maxBuckets: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.fillMs = (capacity * 1000) / refillPerSecond;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, count = 1): RateLimitDecision {
    const wanted = tokensWanted(count, this.capacity);
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key);
    // A missing bucket is a full one; a clock that went back (it cannot here, but) never adds tokens.
    const elapsedMs = bucket ? Math.max(0, now - bucket.at) : 0;
    let tokens = bucket
      ? Math.min(this.capacity, bucket.tokens + (elapsedMs * this.refillPerSecond) / 1000)
      : this.capacity;
    const allowed = tokens >= wanted;
    if (allowed) tokens -= wanted;
    // Delete then set: the bucket moves to the end of the Map, the most recently used.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, at: now });
    if (this.buckets.size > this.maxBuckets) this.dropOldest();
    const waitMs = allowed ? 0 : ((wanted - tokens) * 1000) / this.refillPerSecond;
    return { allowed, retryAfterSeconds: toRetryAfter(waitMs), remaining: Math.floor(tokens) };
  }

  clear(): void {
    this.buckets.clear();
  }

  /** Drops the buckets, oldest first, that have been idle long enough to be full. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at < this.fillMs) return;
      this.buckets.delete(key);
    }
  }

  private dropOldest(): void {
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}

/**
 * One take, atomically: refill from the elapsed Redis server time, take the tokens asked for if
 * there are that many (all or none), store the bucket and let it expire once it would be full
 * again (a full bucket is no bucket).
 * KEYS[1] the bucket; ARGV[1] capacity, ARGV[2] tokens per second, ARGV[3] tokens to take.
 * Returns { allowed (1|0), whole tokens left, ms until there are enough when refused }.
 *
 * TIME before a write needs effect replication: the default since Redis 5, asked for explicitly on
 * older servers (where replicate_commands exists and is not yet the default).
 */
export const TAKE_TOKEN_LUA = `
if redis.replicate_commands then redis.replicate_commands() end
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3]) or 1
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(stored[1])
local ts = tonumber(stored[2])
if tokens == nil or ts == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate / 1000)
end
local allowed = 0
if tokens >= wanted then
  tokens = tokens - wanted
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.3f', now))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) * 1000 / rate)))
local waitMs = 0
if allowed == 0 then waitMs = math.ceil((wanted - tokens) * 1000 / rate) end
return { allowed, math.floor(tokens), waitMs }
`;

type TakeTokenReply = [allowed: number, remaining: number, waitMs: number];
type RedisWithTakeToken = Redis & {
  takeToken(key: string, capacity: number, refillPerSecond: number, count: number): Promise<TakeTokenReply>;
};

function memoryLimiter(memory: MemoryBuckets): RateLimiter {
  return {
    take: (callerKey, count) => Promise.resolve(memory.take(callerKey, count)),
    close: () => Promise.resolve(),
  };
}

/**
 * A token-bucket rate limiter: in Redis when `redisUrl` is given (shared by every process using that
 * Redis and prefix), in memory otherwise or while Redis cannot be reached. See the comment at the
 * top of this file for what happens while Redis is down.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  checkOptions(options);
  const { capacity, refillPerSecond, redisUrl, keyPrefix, logger } = options;
  const memory = new MemoryBuckets(capacity, refillPerSecond, options.maxMemoryBuckets ?? DEFAULT_MAX_MEMORY_BUCKETS);
  if (!redisUrl) return memoryLimiter(memory);

  const redis = connectRedis<RedisWithTakeToken>({
    url: redisUrl,
    timeoutMs: options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS,
    logger,
    downMessage: 'Redis unreachable: rate limits are per gateway process, from memory, until it is back',
    backMessage: 'Redis reachable again: rate limits are shared through Redis again',
    // The in-memory buckets were only for the outage: Redis's apply again, where they left off.
    onBack: () => memory.clear(),
  });
  redis.client.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });

  const take = async (callerKey: string, count = 1): Promise<RateLimitDecision> => {
    if (!(await redis.usable())) return memory.take(callerKey, count);
    try {
      const [allowed, remaining, waitMs] = await redis.client.takeToken(
        `${keyPrefix}${callerKey}`,
        capacity,
        refillPerSecond,
        tokensWanted(count, capacity),
      );
      redis.succeeded();
      return { allowed: allowed === 1, retryAfterSeconds: toRetryAfter(waitMs), remaining };
    } catch (error) {
      redis.failed(error);
      return memory.take(callerKey, count);
    }
  };

  const close = () => redis.close();

  return { take, close };
}
