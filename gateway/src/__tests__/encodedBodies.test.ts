import { createHash } from 'node:crypto';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import express from 'express';
import { earlyAnswers } from '../earlyAnswers';
import { COMPRESSION_THRESHOLD_BYTES, EncodedBodies, negotiateEncoding } from '../encodedBodies';
import { answerKey, ANY_SUBGRAPH, MemoryResponseCacheStore, responseCachePlugin } from '../responseCache';

const headers = (acceptEncoding?: string) => ({ headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('negotiateEncoding', () => {
  it('picks brotli, else gzip, as the client accepts them, and nothing for a small body or identity', () => {
    const big = COMPRESSION_THRESHOLD_BYTES;
    expect(negotiateEncoding(headers('gzip, deflate, br'), big)).toBe('br');
    expect(negotiateEncoding(headers('gzip, deflate'), big)).toBe('gzip');
    expect(negotiateEncoding(headers('br;q=0.5, gzip'), big)).toBe('gzip');
    expect(negotiateEncoding(headers('identity'), big)).toBeNull();
    expect(negotiateEncoding(headers('gzip;q=0, br;q=0'), big)).toBeNull();
    expect(negotiateEncoding(headers(), big)).toBeNull();
    expect(negotiateEncoding(headers('br'), big - 1)).toBeNull();
  });
});

describe('EncodedBodies', () => {
  const body = Buffer.from(JSON.stringify({ data: { rows: Array.from({ length: 2000 }, (_, n) => ({ n })) } }));

  it('compresses a body once per encoding and ETag, however many ask at once, to bytes that decompress to it', async () => {
    const bodies = new EncodedBodies();
    const [first, second] = await Promise.all([bodies.get('br', 'W/"a"', body), bodies.get('br', 'W/"a"', body)]);
    expect(second).toBe(first);
    expect(await bodies.get('br', 'W/"a"', body)).toBe(first);
    expect(brotliDecompressSync(first).equals(body)).toBe(true);
    expect(first.length).toBeLessThan(body.length / 5);
    const gzipped = await bodies.get('gzip', 'W/"a"', body);
    expect(gunzipSync(gzipped).equals(body)).toBe(true);
    expect(bodies.size).toBe(first.length + gzipped.length);
  });

  it('keeps no more bytes than it is given, dropping the least recently used', async () => {
    const tooSmall = new EncodedBodies(1);
    await tooSmall.get('gzip', 'W/"a"', body);
    expect(tooSmall.size).toBe(0);
    // Room for two: a third drops the one read longest ago, and only that one is compressed again.
    const one = await new EncodedBodies().get('gzip', 'W/"x"', body);
    const bodies = new EncodedBodies(one.length * 2);
    const a = await bodies.get('gzip', 'W/"a"', body);
    const b = await bodies.get('gzip', 'W/"b"', body);
    expect(await bodies.get('gzip', 'W/"a"', body)).toBe(a); // a is now the more recent
    await bodies.get('gzip', 'W/"c"', body);
    expect(bodies.size).toBe(one.length * 2);
    expect(await bodies.get('gzip', 'W/"a"', body)).toBe(a);
    expect(await bodies.get('gzip', 'W/"b"', body)).not.toBe(b);
  });
});

/** A stored answer sent compressed from the early path (earlyAnswers with `encoded`). */
describe('earlyAnswers with compression', () => {
  const caller: Caller = { ...ANONYMOUS };
  const bigQuery = 'query Big { goals { id } }';
  const smallQuery = 'query Small { goals { id } }';
  const data = JSON.stringify({ goals: Array.from({ length: 300 }, (_, n) => ({ id: String(n) })) });
  const store = new MemoryResponseCacheStore({ caching: true, maxEntries: 10, maxBytes: 1 << 20 });
  const encoded = new EncodedBodies();
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const hash = (text: string) => createHash('sha256').update(text).digest('hex');
    const entry = (json: string, name: string) => ({
      data: json,
      storedAt: Date.now(),
      maxAge: 60,
      versions: { [ANY_SUBGRAPH]: 0, framework: 0 },
      operation: { name, coordinates: ['Query.goals'] },
    });
    await store.save(answerKey('sg', hash(bigQuery), null, null, caller, 'EN'), entry(data, 'Big'));
    await store.save(answerKey('sg', hash(smallQuery), null, null, caller, 'EN'), entry('{"goals":[]}', 'Small'));
    const app = express();
    app.use(express.json(), (_req, res, next) => {
      res.locals['caller'] = caller;
      res.locals['arrived'] = performance.now();
      res.locals['arrivedAt'] = new Date();
      next();
    });
    app.use(
      earlyAnswers({
        cache: responseCachePlugin({
          store,
          caching: true,
          dedupe: false,
          supergraphId: () => 'sg',
          logger: silentLogger,
        }),
        trail: { record: () => undefined },
        telemetry: { answeredEarly: () => undefined },
        encoded,
      }),
    );
    app.use((_req, res) => res.status(299).end());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

  /** One POST with node:http (fetch would decompress), its raw answer. */
  const raw = (query: string, acceptEncoding: string | null) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query }));
    });

  it('sends a hit of 1 KiB and more compressed as accepted, the same bytes every time, with its length', async () => {
    const plain = await raw(bigQuery, null);
    expect([plain.status, plain.headers['x-cache'], plain.headers['content-encoding']]).toEqual([
      200,
      'HIT',
      undefined,
    ]);
    const brotli = await raw(bigQuery, 'gzip, br');
    expect([brotli.status, brotli.headers['content-encoding']]).toEqual([200, 'br']);
    expect(Number(brotli.headers['content-length'])).toBe(brotli.body.length);
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(String(brotli.headers['vary'])).toContain('Accept-Encoding');
    expect((await raw(bigQuery, 'br')).body.equals(brotli.body)).toBe(true);
    const gzip = await raw(bigQuery, 'gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    // Compressed once each, kept: brotli and gzip of the one body.
    expect(encoded.size).toBe(brotli.body.length + gzip.body.length);
    const small = await raw(smallQuery, 'gzip, br');
    expect([small.headers['content-encoding'], small.body.toString()]).toEqual([undefined, '{"data":{"goals":[]}}\n']);
  });
});
