import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Spanish first, as a browser set to Mexican Spanish asks. */
const SPANISH = 'es-MX,es;q=0.9';

interface Answer<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * POSTs `query` to the gateway with this `Accept-Language` (none: fetch's own `*`), as the public
 * unless `token` is given.
 */
async function ask<T = Record<string, unknown>>(
  url: string,
  query: string,
  options: { acceptLanguage?: string; token?: string; variables?: Record<string, unknown> } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.acceptLanguage !== undefined ? { 'accept-language': options.acceptLanguage } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, ...(options.variables ? { variables: options.variables } : {}) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer<T>['body'] };
}

/** The same, as a GET: Apollo Server answers it (the early path takes POSTs only). */
async function askByGet<T = Record<string, unknown>>(url: string, query: string, acceptLanguage: string) {
  const response = await fetch(`${url}?query=${encodeURIComponent(query)}`, {
    headers: { 'apollo-require-preflight': 'true', 'accept-language': acceptLanguage },
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer<T>['body'] };
}

type GoalTitle = { goal: { title: string } };
const PROTECT_EN = 'Protect Our People';
const PROTECT_ES = 'Proteger a Nuestra Gente';

/**
 * The language of the graph's texts over the real gateway and subgraphs, over HTTP: a field
 * without `lang` is in the language the request's `Accept-Language` prefers (EN or ES), an
 * explicit `lang` wins, and the response cache (in memory, and in Redis as replicas share it)
 * never serves an answer in one language to a request for the other.
 */
describe.each([
  ['in memory', false],
  ['in Redis', true],
])('languages, with the response cache %s', (_name, redis) => {
  const prefix = `bicentennial-test:language:${randomUUID()}:`;
  const cacheEnv: Record<string, string> = redis ? { REDIS_URL, RESPONSE_CACHE_KEY_PREFIX: prefix } : {};
  let graph: InProcessGraph;
  let url: string;
  /** A document of its own per test (a comment changes its hash), so that its first answer is a MISS. */
  let serial = 0;
  const goalTitle = () => `#graphql\n{ goal(id: "1") { title } }\n# ${redis ? 'redis' : 'memory'} ${serial++}`;

  beforeAll(async () => {
    graph = await startInProcessGraph({ gatewayEnv: cacheEnv });
    url = graph.gatewayUrl;
  }, 240_000);
  afterAll(async () => {
    await graph?.stop();
    if (redis) {
      const client = new Redis(REDIS_URL);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  });

  it("answers a goal's title without `lang` in Spanish for a request that prefers Spanish, in English otherwise", async () => {
    const query = goalTitle();
    const spanish = await ask<GoalTitle>(url, query, { acceptLanguage: SPANISH });
    expect(spanish.status).toBe(200);
    expect(spanish.body).toEqual({ data: { goal: { title: PROTECT_ES } } });
    for (const acceptLanguage of [undefined, 'en-US,en;q=0.9,es;q=0.8', 'fr-FR']) {
      const english = await ask<GoalTitle>(url, query, acceptLanguage === undefined ? {} : { acceptLanguage });
      expect([acceptLanguage, english.body]).toEqual([acceptLanguage, { data: { goal: { title: PROTECT_EN } } }]);
    }
  });

  it('lets an explicit `lang` win over the header, inline or as a variable', async () => {
    const inline = await ask<{ goal: { en: string; es: string; title: string } }>(
      url,
      '#graphql\n{ goal(id: "1") { en: title(lang: EN) es: title(lang: ES) title } }',
      { acceptLanguage: SPANISH },
    );
    expect(inline.body).toEqual({ data: { goal: { en: PROTECT_EN, es: PROTECT_ES, title: PROTECT_ES } } });
    const query = '#graphql\nquery ($lang: Language) { goal(id: "1") { title(lang: $lang) } }';
    expect((await ask<GoalTitle>(url, query, { acceptLanguage: SPANISH, variables: { lang: 'EN' } })).body).toEqual({
      data: { goal: { title: PROTECT_EN } },
    });
    expect((await ask<GoalTitle>(url, query, { acceptLanguage: 'en', variables: { lang: 'ES' } })).body).toEqual({
      data: { goal: { title: PROTECT_ES } },
    });
  });

  it('never serves a cached English answer to a request for Spanish, nor the other way round', async () => {
    const query = goalTitle();
    const english = await ask<GoalTitle>(url, query, { acceptLanguage: 'en' });
    expect([english.headers.get('x-cache'), english.body.data]).toEqual(['MISS', { goal: { title: PROTECT_EN } }]);
    // Public answers say that they depend on the language, for HTTP caches on the way.
    expect(english.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    expect(english.headers.get('vary')).toContain('Accept-Language');

    const spanish = await ask<GoalTitle>(url, query, { acceptLanguage: SPANISH });
    expect([spanish.headers.get('x-cache'), spanish.body.data]).toEqual(['MISS', { goal: { title: PROTECT_ES } }]);

    // Each language's entry now answers its own requests (served before the GraphQL pipeline),
    // whichever way the header asks for that language: two entries, not one per header.
    graph.resetRequests();
    for (const [acceptLanguage, title] of [
      ['en', PROTECT_EN],
      ['es', PROTECT_ES],
      [SPANISH, PROTECT_ES],
      ['en-GB,en;q=0.9', PROTECT_EN],
      ['es-419, en;q=0.5', PROTECT_ES],
      ['de', PROTECT_EN],
    ] as const) {
      const hit = await ask<GoalTitle>(url, query, { acceptLanguage });
      expect([acceptLanguage, hit.headers.get('x-cache'), hit.body.data]).toEqual([
        acceptLanguage,
        'HIT',
        { goal: { title } },
      ]);
      expect(hit.headers.get('vary')).toContain('Accept-Language');
    }
    expect(Object.fromEntries(graph.requests)).toEqual({});
  });

  it('keys the entries Apollo Server serves (a GET) on the language too', async () => {
    const query = goalTitle();
    const spanish = await askByGet<GoalTitle>(url, query, 'es');
    expect([spanish.status, spanish.headers.get('x-cache'), spanish.body.data]).toEqual([
      200,
      'MISS',
      { goal: { title: PROTECT_ES } },
    ]);
    expect(spanish.headers.get('vary')).toContain('Accept-Language');
    const english = await askByGet<GoalTitle>(url, query, 'en');
    expect([english.headers.get('x-cache'), english.body.data]).toEqual(['MISS', { goal: { title: PROTECT_EN } }]);
    const again = await askByGet<GoalTitle>(url, query, SPANISH);
    expect([again.headers.get('x-cache'), again.body.data]).toEqual(['HIT', { goal: { title: PROTECT_ES } }]);
  });

  it('gives the texts of other subgraphs, and of entities joined across subgraphs, in the language asked', async () => {
    // finance owns the organizations and their Spanish names.
    const organization =
      '#graphql\n{ criminalOrganization(slug: "CJNG") { name es: name(lang: ES) en: name(lang: EN) } }';
    expect((await ask(url, organization, { acceptLanguage: SPANISH })).body).toEqual({
      data: {
        criminalOrganization: {
          name: 'Cártel de Jalisco Nueva Generación',
          es: 'Cártel de Jalisco Nueva Generación',
          en: 'Jalisco New Generation Cartel',
        },
      },
    });
    expect((await ask(url, organization, { acceptLanguage: 'en' })).body.data).toMatchObject({
      criminalOrganization: { name: 'Jalisco New Generation Cartel' },
    });
    // border-trade's ports, their states' names fetched from framework (an entity fetch).
    const ports = '#graphql\n{ portsOfEntry(state: "US-NM") { name state { code name } } }';
    type Ports = { portsOfEntry: { name: string; state: { code: string; name: string } }[] };
    const spanish = await ask<Ports>(url, ports, { acceptLanguage: SPANISH });
    expect(spanish.body.errors).toBeUndefined();
    expect(spanish.body.data!.portsOfEntry.length).toBeGreaterThan(0);
    for (const port of spanish.body.data!.portsOfEntry)
      expect(port.state).toEqual({ code: 'US-NM', name: 'Nuevo México' });
    const english = await ask<Ports>(url, ports, { acceptLanguage: 'en' });
    for (const port of english.body.data!.portsOfEntry)
      expect(port.state).toEqual({ code: 'US-NM', name: 'New Mexico' });
    // An indicator's registry text (framework) beside its values (the owner's subgraph).
    const indicator = '#graphql\n{ objective(id: "2.2.1") { title indicators { unit } } }';
    const objective = await ask<{ objective: { title: string; indicators: { unit: string }[] } }>(url, indicator, {
      acceptLanguage: SPANISH,
    });
    expect(objective.body.data!.objective.title).toMatch(/armas de fuego/);
    expect(new Set(objective.body.data!.objective.indicators.map((i) => i.unit))).toEqual(
      new Set(['armas de fuego', 'por ciento']),
    );
  });

  it('never shares one in-flight answer or subgraph fetch between an English and a Spanish request', async () => {
    // Cache off: every request reaches the subgraphs, and identical ones in flight are deduplicated.
    const replica = await graph.startGateway({ ...cacheEnv, RESPONSE_CACHE: 'off' });
    const query = '#graphql\n{ goals { id title description areas { id title } } }';
    type Goals = { goals: { id: string; title: string }[] };
    const languages = Array.from({ length: 12 }, (_, n) => (n % 2 === 0 ? 'es' : 'en'));
    const answers = await Promise.all(
      languages.map((acceptLanguage) => ask<Goals>(replica.url, query, { acceptLanguage })),
    );
    expect(answers.map((a) => a.body.data!.goals[0]!.title)).toEqual(
      languages.map((language) => (language === 'es' ? PROTECT_ES : PROTECT_EN)),
    );
  });
});
