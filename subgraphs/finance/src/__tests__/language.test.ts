import { HeaderMap, type ApolloServer } from '@apollo/server';
import { ANONYMOUS } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/testing';
import type { Context } from '../context';
import type { PrismaClient } from '../generated/prisma/client';
import { readOrganizations } from '../seed';
import * as finance from '../server';

/**
 * Criminal organizations' names when `name` has no `lang`: the language the gateway sends as
 * `Accept-Language`, else EN; an explicit `lang` wins. (`spanishName` stays the Spanish name.)
 */
describe('criminal organization names without `lang`', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  let server: ApolloServer<Context>;
  const organizations = readOrganizations().organizations;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(finance);
    // The subgraph's own server over the test database, asked with the headers a gateway sends.
    server = finance.createServer(silentLogger);
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
      { contextValue: finance.createContext(subgraph.prisma, ANONYMOUS) },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors).toBeUndefined();
    return response.body.singleResult.data as T;
  };
  const names = (language: 'en' | 'es') =>
    Object.fromEntries(organizations.map((o) => [o.slug, language === 'es' ? o.spanishName : o.name]));

  it('names every organization in the language the request asks for, English otherwise', async () => {
    const query = '#graphql\n { criminalOrganizations { slug name spanishName } }';
    type Answer = { criminalOrganizations: { slug: string; name: string; spanishName: string }[] };
    const spanish = await run<Answer>(query, 'es');
    expect(Object.fromEntries(spanish.criminalOrganizations.map((o) => [o.slug, o.name]))).toEqual(names('es'));
    for (const o of spanish.criminalOrganizations) expect(o.spanishName).toBe(o.name);
    for (const header of ['en', undefined]) {
      const english = await run<Answer>(query, header);
      expect(Object.fromEntries(english.criminalOrganizations.map((o) => [o.slug, o.name]))).toEqual(names('en'));
    }
    // Some names differ between the languages: the test would see a mix-up.
    expect(names('es')['CJNG']).not.toBe(names('en')['CJNG']);
  });

  it('lets an explicit `lang` win, and answers entities in the request language', async () => {
    expect(
      await run(
        '#graphql\n { criminalOrganization(slug: "SINALOA") { name en: name(lang: EN) es: name(lang: ES) } }',
        'es',
      ),
    ).toEqual({ criminalOrganization: { name: 'Cártel de Sinaloa', en: 'Sinaloa Cartel', es: 'Cártel de Sinaloa' } });
    expect(
      await run(
        '#graphql\n query ($r: [_Any!]!) { _entities(representations: $r) { ... on CriminalOrganization { slug name } } }',
        'es',
        { r: [{ __typename: 'CriminalOrganization', slug: 'CJNG' }] },
      ),
    ).toEqual({ _entities: [{ slug: 'CJNG', name: 'Cártel de Jalisco Nueva Generación' }] });
  });
});
