import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { languageTag, negotiateLanguage } from '@bicentennial/schema';
import { silentLogger, type InternalSigner } from '@bicentennial/service';
import { composeSupergraph } from '@bicentennial/tools/compose';
import { Agent } from 'undici';
import { keepAliveFetcher, SubgraphDataSource } from '../dataSource';
import { SubgraphStatusMonitor } from '../status';
import { forApolloGateway } from '../supergraph';

describe('negotiateLanguage', () => {
  it.each([
    // What browsers send: the first language with q=1, the others in falling q.
    ['es-MX,es;q=0.9', 'ES'],
    ['es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7', 'ES'],
    ['es-419', 'ES'],
    ['ES', 'ES'],
    ['en-US,en;q=0.9,es;q=0.8', 'EN'],
    ['en-GB', 'EN'],
    // q-values decide, whatever the order.
    ['en;q=0.5, es;q=0.6', 'ES'],
    ['es;q=0.4, en;q=0.8', 'EN'],
    // Spanish is preferred over an English the header does not accept at all.
    ['fr-FR,fr;q=0.9,es;q=0.5', 'ES'],
    ['en;q=0, *', 'ES'],
    // Neither language, or a refusal of both: EN.
    ['fr', 'EN'],
    ['es;q=0', 'EN'],
    ['*', 'EN'],
    // A tie of q-values: the more specific match, then the header's order (negotiator's rules).
    ['es, en', 'ES'],
    ['en, es', 'EN'],
    ['es-MX, en', 'EN'],
  ])('%j is %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('is EN for an absent, empty or unreadable header, and never throws', () => {
    for (const header of [undefined, null, '', ',,,', ';q=0.5', 'es;q=abc', 'x'.repeat(10_000), '\u0000es'])
      expect([header, negotiateLanguage(header)]).toEqual([header, 'EN']);
  });

  it('forwards a language as its bare tag', () => {
    expect([languageTag('EN'), languageTag('ES')]).toEqual(['en', 'es']);
  });
});

/**
 * The data source over a stand-in subgraph on 127.0.0.1 that records the `accept-language` of
 * each request: the gateway sends every subgraph the language it negotiated, never the
 * client's own header.
 */
describe('SubgraphDataSource', () => {
  let dir: string;
  let subgraph: Server;
  let server: ApolloServer;
  let dispatcher: Agent;
  const received: (string | undefined)[] = [];

  beforeAll(async () => {
    subgraph = createServer((req, res) => {
      received.push(req.headers['accept-language']);
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { reading: 42 } }));
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-language-'));
    const sdlPath = join(dir, 'readings.graphql');
    writeFileSync(
      sdlPath,
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable", "@policy"])\n' +
        '"R."\ntype Query { "R." reading: Int }',
    );
    const composed = composeSupergraph([{ name: 'readings', routingUrl: url, port: 0, sdlPath, packageDir: dir }]);
    expect(composed.errors).toEqual([]);
    dispatcher = new Agent({ keepAliveTimeout: 30_000 });
    const monitor = new SubgraphStatusMonitor({
      intervalMs: 60_000,
      timeoutMs: 1_000,
      dispatcher,
      logger: silentLogger,
      authorization: () => Promise.resolve('Bearer internal-token'),
    });
    const signer: InternalSigner = { sign: () => Promise.resolve('internal-token') };
    const gateway = new ApolloGateway({
      supergraphSdl: forApolloGateway(composed.supergraphSdl!),
      buildService: ({ name }) =>
        new SubgraphDataSource(name, url, keepAliveFetcher(dispatcher, 5_000), monitor, silentLogger, 5_000, signer, {
          retryAttempts: 1,
          retryBackoffMs: 5,
          retryBudgetPercent: 10,
          retryBudgetMin: 3,
          breakerThreshold: 1_000,
          breakerHalfOpenAfterMs: 60_000,
        }),
      logger: silentLogger,
    });
    server = new ApolloServer({ gateway, logger: silentLogger });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    await dispatcher.destroy();
    await new Promise((resolve) => subgraph.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (received.length = 0));

  /** `{ reading }` through the gateway, as a client sending this Accept-Language (none when undefined). */
  const ask = async (acceptLanguage?: string) => {
    const headers = new HeaderMap(acceptLanguage === undefined ? [] : [['accept-language', acceptLanguage]]);
    const response = await server.executeOperation({
      query: '{ reading }',
      http: { method: 'POST', headers, search: '', body: {} },
    });
    expect(response.body.kind === 'single' && response.body.singleResult).toMatchObject({ data: { reading: 42 } });
  };

  it('sends `es` for a client that prefers Spanish, `en` otherwise, and never the raw header', async () => {
    await ask('es-MX,es;q=0.9');
    await ask('en-US,en;q=0.9,es;q=0.8');
    await ask('fr');
    await ask();
    expect(received).toEqual(['es', 'en', 'en', 'en']);
  });
});
