import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import express from 'express';
import type { AuditEventInput } from '../audit';
import { earlyAnswers } from '../earlyAnswers';
import { answerKey, ANY_SUBGRAPH, MemoryResponseCacheStore, responseCachePlugin } from '../responseCache';

const query = 'query Dashboard { goals { id } }';
const queryHash = createHash('sha256').update(query).digest('hex');

/**
 * The early path on a real Express app and the real plugin and memory store: what it answers
 * itself (and records), and what it hands on to the next handler (Apollo Server in app.ts).
 */
describe('earlyAnswers', () => {
  const store = new MemoryResponseCacheStore({ caching: true, maxEntries: 10, maxBytes: 1 << 20 });
  const events: AuditEventInput[] = [];
  const answered: [string | null, number][] = [];
  const handedOn: unknown[] = [];
  let server: Server;
  let url: string;
  const caller: Caller = { ...ANONYMOUS };

  beforeAll(async () => {
    await store.save(answerKey('sg', queryHash, null, null, caller, 'EN'), {
      data: '{"goals":[{"id":"1"}]}',
      storedAt: Date.now() - 5_000,
      maxAge: 60,
      versions: { [ANY_SUBGRAPH]: 0, framework: 0 },
      operation: { name: 'Dashboard', coordinates: ['Goal.id', 'Query.goals'] },
    });
    const app = express();
    app.use(express.json(), (_req, res, next) => {
      // As cors does when CORS_ORIGINS is set: the early path adds to it, never replaces it.
      res.vary('Origin');
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
        trail: { record: (event) => events.push(event) },
        telemetry: { answeredEarly: (name, seconds) => answered.push([name, seconds]) },
      }),
    );
    app.use((_req, res) => {
      handedOn.push(res.locals['priorLookup'] ?? 'no lookup');
      res.status(299).json({ handedOn: true });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });
  beforeEach(() => {
    events.length = 0;
    answered.length = 0;
    handedOn.length = 0;
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('answers a hit itself, with the cache headers, and records its audit event and metrics', async () => {
    const response = await post({ query });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"data":{"goals":[{"id":"1"}]}}\n');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-cache')).toBe('HIT');
    expect(Number(response.headers.get('age'))).toBeGreaterThanOrEqual(5);
    expect(response.headers.get('cache-control')).toMatch(/^max-age=(5[0-5]), public$/);
    expect(response.headers.get('etag')).toMatch(/^W\/"/);
    expect(response.headers.get('vary')).toBe('Origin, Accept, Accept-Language, Authorization');
    expect(handedOn).toEqual([]);
    expect(answered).toEqual([['Dashboard', expect.any(Number)]]);
    expect(events).toEqual([
      expect.objectContaining({
        caller,
        operationName: 'Dashboard',
        operationHash: queryHash,
        persistedQueryId: null,
        coordinates: ['Goal.id', 'Query.goals'],
        variablesHash: null,
        outcome: 'OK',
        errorCodes: [],
      }),
    ]);
  });

  it('hands on a miss with its lookup, and anything it does not answer without one', async () => {
    expect((await post({ query, variables: { a: 1 } })).status).toBe(299);
    expect(handedOn).toEqual([
      expect.objectContaining({ key: answerKey('sg', queryHash, null, { a: 1 }, caller, 'EN') }),
    ]);
    handedOn.length = 0;
    // A batch, a GET without a preflight header (Apollo Server's CSRF prevention refuses it), a
    // media type it does not write, a body that is not JSON.
    expect((await post([{ query }])).status).toBe(299);
    expect((await fetch(`${url}?query=${encodeURIComponent(query)}`)).status).toBe(299);
    expect((await post({ query }, { accept: 'application/json; callbackSpec=1.0' })).status).toBe(299);
    expect((await post({ query }, { accept: 'text/html' })).status).toBe(299);
    expect(
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) }))
        .status,
    ).toBe(299);
    expect(handedOn).toEqual(Array(5).fill('no lookup'));
    expect(events).toEqual([]);
    expect(answered).toEqual([]);
  });

  it('answers a GET hit that passes CSRF prevention, keyed exactly as the same POST', async () => {
    const params = (extra: Record<string, string> = {}) => new URLSearchParams({ query, ...extra }).toString();
    const preflight = { 'apollo-require-preflight': 'true' };
    const hit = await fetch(`${url}?${params()}`, { headers: preflight });
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(await hit.text()).toBe('{"data":{"goals":[{"id":"1"}]}}\n');
    const named = await fetch(`${url}?${params()}`, { headers: { 'x-apollo-operation-name': 'Dashboard' } });
    expect(named.headers.get('x-cache')).toBe('HIT');
    // Variables are JSON in the URL: the key is the parsed value's, as for a POST.
    expect((await fetch(`${url}?${params({ variables: '{"a":1}' })}`, { headers: preflight })).status).toBe(299);
    expect(handedOn).toEqual([
      expect.objectContaining({ key: answerKey('sg', queryHash, null, { a: 1 }, caller, 'EN') }),
    ]);
    handedOn.length = 0;
    // Not JSON, an empty preflight header: handed on without a lookup, for Apollo Server to refuse.
    expect((await fetch(`${url}?${params({ variables: '{a:1' })}`, { headers: preflight })).status).toBe(299);
    expect((await fetch(`${url}?${params()}`, { headers: { 'apollo-require-preflight': '' } })).status).toBe(299);
    expect(handedOn).toEqual(['no lookup', 'no lookup']);
    expect(answered).toHaveLength(2);
  });

  it("keys on the request's negotiated language: an English entry is never served to a request for Spanish", async () => {
    // Spanish preferred: the English entry is not served; the lookup handed on is the Spanish key.
    for (const acceptLanguage of ['es-MX,es;q=0.9', 'es', 'en;q=0.5, es']) {
      const response = await post({ query }, { 'accept-language': acceptLanguage });
      expect([acceptLanguage, response.status, response.headers.get('vary')]).toEqual([
        acceptLanguage,
        299,
        'Origin, Accept, Accept-Language, Authorization',
      ]);
    }
    const spanishKey = answerKey('sg', queryHash, null, null, caller, 'ES');
    expect(spanishKey).not.toBe(answerKey('sg', queryHash, null, null, caller, 'EN'));
    expect(handedOn).toEqual(Array(3).fill(expect.objectContaining({ key: spanishKey })));
    // Any header that negotiates to English (or names neither language) shares the English entry.
    for (const acceptLanguage of ['en-GB,en;q=0.9', 'fr-FR', 'es;q=0.4, en;q=0.8', '*']) {
      const response = await post({ query }, { 'accept-language': acceptLanguage });
      expect([acceptLanguage, response.headers.get('x-cache')]).toEqual([acceptLanguage, 'HIT']);
    }
    expect(answered).toHaveLength(4);
  });

  it('says on every answer it hands on that it depends on Accept-Language, GETs included', async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent(query)}`);
    expect(get.status).toBe(299);
    expect(get.headers.get('vary')).toBe('Origin, Accept, Accept-Language, Authorization');
    const miss = await post({ query, variables: { a: 2 } });
    expect(miss.status).toBe(299);
    expect(miss.headers.get('vary')).toBe('Origin, Accept, Accept-Language, Authorization');
  });
});
