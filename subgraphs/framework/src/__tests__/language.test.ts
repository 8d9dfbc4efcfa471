import { HeaderMap, type ApolloServer } from '@apollo/server';
import { ANONYMOUS } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/testing';
import type { Context } from '../context';
import type { PrismaClient } from '../generated/prisma/client';
import { readFrameworkSeed } from '../seed';
import * as framework from '../server';

/** Every text of the catalogue, each field without `lang`. */
const CATALOGUE = `#graphql
  {
    framework { title }
    goals { id title description }
    cooperationAreas { id title }
    objectives { id title }
    regions { code name }
    indicators { id name unit description }
  }
`;

interface Catalogue {
  framework: { title: string };
  goals: { id: string; title: string; description: string }[];
  cooperationAreas: { id: string; title: string }[];
  objectives: { id: string; title: string }[];
  regions: { code: string; name: string }[];
  indicators: { id: string; name: string; unit: string; description: string }[];
}

/**
 * The catalogue's text when a field has no `lang`: the language the gateway sends as
 * `Accept-Language` (what it negotiated with the client), else EN; an explicit `lang` wins.
 */
describe('framework texts without `lang`', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  let server: ApolloServer<Context>;
  const seed = readFrameworkSeed();

  beforeAll(async () => {
    subgraph = await startTestSubgraph(framework);
    // The subgraph's own server over the test database, asked with the headers a gateway sends.
    server = framework.createServer(silentLogger);
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    await subgraph.close();
  });

  const run = async <T>(query: string, acceptLanguage?: string, variables?: Record<string, unknown>) => {
    const headers = new HeaderMap(acceptLanguage === undefined ? [] : [['accept-language', acceptLanguage]]);
    const response = await server.executeOperation(
      { query, ...(variables ? { variables } : {}), http: { method: 'POST', headers, search: '', body: {} } },
      { contextValue: framework.createContext(subgraph.prisma, ANONYMOUS) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors).toBeUndefined();
    return { data: response.body.singleResult.data as T, vary: response.http.headers.get('vary') };
  };

  /** The catalogue as the seed gives it, in one language. */
  const expected = (language: 'en' | 'es'): Catalogue => {
    const { catalogue, regions, indicators } = seed;
    return {
      framework: { title: catalogue.framework.title[language] },
      goals: catalogue.goals.map((g) => ({ id: g.id, title: g.title[language], description: g.description[language] })),
      cooperationAreas: catalogue.cooperationAreas.map((a) => ({ id: a.id, title: a.title[language] })),
      objectives: catalogue.objectives.map((o) => ({ id: o.id, title: o.title[language] })),
      regions: regions.map((r) => ({ code: r.code, name: r.name[language] })),
      indicators: indicators.map((i) => ({
        id: i.id,
        name: i.name[language],
        unit: i.unit[language],
        description: i.description[language],
      })),
    };
  };
  /** Lists compared by id, whatever order the subgraph lists them in. */
  const sorted = (catalogue: Catalogue): Catalogue => {
    const by = <T>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
    return {
      framework: catalogue.framework,
      goals: by(catalogue.goals, (g) => g.id),
      cooperationAreas: by(catalogue.cooperationAreas, (a) => a.id),
      objectives: by(catalogue.objectives, (o) => o.id),
      regions: by(catalogue.regions, (r) => r.code),
      indicators: by(catalogue.indicators, (i) => i.id),
    };
  };

  it('gives every text in Spanish when the request asks for Spanish, and in English otherwise', async () => {
    const spanish = await run<Catalogue>(CATALOGUE, 'es');
    expect(sorted(spanish.data)).toEqual(sorted(expected('es')));
    expect(spanish.vary).toBe('Accept-Language');
    expect(sorted((await run<Catalogue>(CATALOGUE, 'en')).data)).toEqual(sorted(expected('en')));
    expect(sorted((await run<Catalogue>(CATALOGUE)).data)).toEqual(sorted(expected('en')));
    // The two languages differ on the goals' titles at least: the test would see a mix-up.
    expect(expected('es').goals.map((g) => g.title)).not.toEqual(expected('en').goals.map((g) => g.title));
  });

  it('lets an explicit `lang` win over the request, given inline or as a variable', async () => {
    const query = `#graphql
      query ($lang: Language) { goal(id: "1") { title en: title(lang: EN) es: title(lang: ES) asked: title(lang: $lang) } }`;
    expect((await run(query, 'es', { lang: 'EN' })).data).toEqual({
      goal: {
        title: 'Proteger a Nuestra Gente',
        en: 'Protect Our People',
        es: 'Proteger a Nuestra Gente',
        asked: 'Protect Our People',
      },
    });
    expect((await run(query, 'en', { lang: 'ES' })).data).toEqual({
      goal: {
        title: 'Protect Our People',
        en: 'Protect Our People',
        es: 'Proteger a Nuestra Gente',
        asked: 'Proteger a Nuestra Gente',
      },
    });
    // A variable left out or null is no `lang`: the request decides.
    expect((await run(query, 'es', {})).data).toMatchObject({ goal: { asked: 'Proteger a Nuestra Gente' } });
    expect((await run(query, 'es', { lang: null })).data).toMatchObject({
      goal: { asked: 'Proteger a Nuestra Gente' },
    });
  });

  it('answers entities (what other subgraphs join on) in the request language too', async () => {
    const { data } = await run<{ _entities: Record<string, unknown>[] }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Region { code name }
          ... on Goal { id title }
          ... on Indicator { id unit }
        }
      }`,
      'es',
      {
        representations: [
          { __typename: 'Region', code: 'US' },
          { __typename: 'Goal', id: '3' },
          { __typename: 'FirearmsIndicator', id: '2.2.1/us-sourced-share' },
        ],
      },
    );
    expect(data._entities).toEqual([
      { code: 'US', name: 'Estados Unidos' },
      { id: '3', title: 'Perseguir las Redes Criminales' },
      { id: '2.2.1/us-sourced-share', unit: seed.indicators.find((i) => i.id === '2.2.1/us-sourced-share')!.unit.es },
    ]);
  });
});
