import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import type { Language } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { inLanguage, requestLanguage, requestLanguagePlugin } from '../subgraph/language';

const TYPE_DEFS = `#graphql
  "The entry points."
  type Query {
    "A greeting."
    greeting("EN or ES; the request's language when absent." lang: Language): String!
    "The request's language."
    language: Language!
  }
  "A language."
  enum Language {
    "English."
    EN
    "Spanish."
    ES
  }
`;

/**
 * The plugin every subgraph server runs (createSubgraphServer): what the gateway sends as
 * `Accept-Language` is the language of every text asked without `lang`.
 */
describe('requestLanguagePlugin', () => {
  const server = new ApolloServer<BaseContext>({
    typeDefs: TYPE_DEFS,
    resolvers: {
      Query: {
        greeting: (_parent: unknown, { lang }: { lang?: Language | null }, context: BaseContext) =>
          inLanguage(lang, context, { en: 'hello', es: 'hola' }),
        language: (_parent: unknown, _args: unknown, context: BaseContext) => requestLanguage(context),
      },
    },
    logger: silentLogger,
    plugins: [requestLanguagePlugin()],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  /** Runs `query` as a request with this Accept-Language (none when undefined). */
  const run = async (query: string, acceptLanguage?: string) => {
    const headers = new HeaderMap(acceptLanguage === undefined ? [] : [['accept-language', acceptLanguage]]);
    const response = await server.executeOperation(
      { query, http: { method: 'POST', headers, search: '', body: {} } },
      { contextValue: {} },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { data: response.body.singleResult.data, vary: response.http.headers.get('vary') };
  };

  it('answers a text without `lang` in the language the request asks for, EN when it asks for none', async () => {
    expect(await run('{ greeting language }', 'es')).toEqual({
      data: { greeting: 'hola', language: 'ES' },
      vary: 'Accept-Language',
    });
    expect((await run('{ greeting }', 'es-MX,es;q=0.9')).data).toEqual({ greeting: 'hola' });
    expect((await run('{ greeting }', 'en')).data).toEqual({ greeting: 'hello' });
    expect((await run('{ greeting }', 'fr')).data).toEqual({ greeting: 'hello' });
    expect(await run('{ greeting language }')).toEqual({
      data: { greeting: 'hello', language: 'EN' },
      vary: 'Accept-Language',
    });
    // No HTTP request at all (an operation run in-process): EN.
    const direct = await server.executeOperation({ query: '{ greeting }' }, { contextValue: {} });
    expect(direct.body.kind === 'single' && direct.body.singleResult.data).toEqual({ greeting: 'hello' });
  });

  it('lets an explicit `lang` win over the request', async () => {
    expect((await run('{ en: greeting(lang: EN) es: greeting(lang: ES) greeting }', 'es')).data).toEqual({
      en: 'hello',
      es: 'hola',
      greeting: 'hola',
    });
    expect((await run('{ es: greeting(lang: ES) greeting }', 'en')).data).toEqual({ es: 'hola', greeting: 'hello' });
  });

  it('keeps each request to its own language', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, n) => run('{ greeting }', n % 2 === 0 ? 'es' : 'en')),
    );
    expect(answers.map((a) => (a.data as { greeting: string }).greeting)).toEqual(
      Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? 'hola' : 'hello')),
    );
  });
});

describe('inLanguage outside a request', () => {
  it('is the `lang` asked, else EN', () => {
    const texts = { en: 'hello', es: 'hola' };
    expect([inLanguage('ES', {}, texts), inLanguage(null, {}, texts), inLanguage(undefined, {}, texts)]).toEqual([
      'hola',
      'hello',
      'hello',
    ]);
    expect(requestLanguage({})).toBe('EN');
  });
});
