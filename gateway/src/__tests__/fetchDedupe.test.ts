import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import type { Fetcher } from '@apollo/utils.fetcher';
import { dedupingFetcher } from '../fetchDedupe';

/** A subgraph stand-in on 127.0.0.1 that answers after 100 ms and counts what it received. */
describe('dedupingFetcher', () => {
  let server: Server;
  let url: string;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300, public' });
          res.end(JSON.stringify({ data: { n: received.length } }));
        }, 100);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (received.length = 0));

  const fetcher = dedupingFetcher((u: string, init?: Parameters<Fetcher>[1]) =>
    fetch(u, { method: 'POST', headers: init?.headers ?? {}, body: init?.body ?? null }),
  );
  const send = (query: string, token = 't1') =>
    fetcher(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });

  it('sends identical reads in flight once, and gives each its own copy with the headers', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => send('query { a }')));
    expect(received).toHaveLength(1);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies).toEqual(Array.from({ length: 5 }, () => ({ data: { n: 1 } })));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('max-age=300, public');
    }
  });

  it('never shares between different callers (tokens) or different operations', async () => {
    await Promise.all([send('query { a }', 't1'), send('query { a }', 't2'), send('query { b }', 't1')]);
    expect(received).toHaveLength(3);
  });

  it('never shares between languages, even under one token: an English and a Spanish read are each sent', async () => {
    const read = (language: string) =>
      fetcher(url, {
        method: 'POST',
        headers: { authorization: 'Bearer t1', 'accept-language': language },
        body: JSON.stringify({ query: 'query { title }' }),
      });
    await Promise.all([read('en'), read('es'), read('en'), read('es')]);
    expect(received).toHaveLength(2);
  });

  it('always sends every mutation', async () => {
    await Promise.all(Array.from({ length: 3 }, () => send('mutation { write }')));
    expect(received).toHaveLength(3);
  });

  it('sends a read again once the first has been answered', async () => {
    await send('query { a }');
    await send('query { a }');
    expect(received).toHaveLength(2);
  });
});
