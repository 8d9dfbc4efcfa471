import { invalidateSnapshots } from '@bicentennial/subgraph-kit';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/testing';
import type { Owner, PrismaClient } from '../generated/prisma/client';
import { readFrameworkSeed } from '../seed';
import { silentLogger as silent } from '@bicentennial/service';
import * as framework from '../server';

type Result = Awaited<ReturnType<TestSubgraph<PrismaClient>['execute']>>;
const codeOf = (result: Result) => result.errors?.map((e) => e.extensions?.['code']);

const OWNERS: Record<string, Owner> = {
  '1.1.1': 'PUBLIC_HEALTH',
  '1.1.2': 'PUBLIC_HEALTH',
  '1.2.1': 'PUBLIC_HEALTH',
  '1.2.2': 'PUBLIC_HEALTH',
  '1.3.1': 'PUBLIC_HEALTH',
  '1.3.2': 'EXTRADITION',
  '2.1.1': 'BORDER_TRADE',
  '2.1.2': 'BORDER_TRADE',
  '2.1.3': 'BORDER_TRADE',
  '2.1.4': 'BORDER_TRADE',
  '2.1.5': 'BORDER_TRADE',
  '2.2.1': 'FIREARMS',
  '2.2.2': 'FIREARMS',
  '2.2.3': 'FIREARMS',
  '2.3.1': 'BORDER_TRADE',
  '2.3.2': 'BORDER_TRADE',
  '2.3.3': 'BORDER_TRADE',
  '2.4.1': 'BORDER_TRADE',
  '2.4.2': 'BORDER_TRADE',
  '3.1.1': 'FINANCE',
  '3.1.2': 'FINANCE',
  '3.1.3': 'FINANCE',
  '3.1.4': 'FINANCE',
  '3.2.1': 'EXTRADITION',
  '3.3.1': 'FINANCE',
  '3.4.1': 'EXTRADITION',
};

const DASHBOARD_PART = `#graphql
  query DashboardCatalogue {
    goals {
      id
      title(lang: ES)
      areas {
        id
        objectives { id title owner indicators { __typename id name unit } }
      }
    }
  }
`;

interface DashboardCatalogue {
  goals: {
    id: string;
    title: string;
    areas: {
      id: string;
      objectives: { id: string; title: string; owner: string; indicators: { __typename: string; id: string }[] }[];
    }[];
  }[];
}

describe('framework subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(framework);
  });
  afterAll(() => subgraph.close());

  it('holds the catalogue: 3 goals with their official Spanish titles, 11 areas, 26 objectives with their owners', async () => {
    const { data, errors } = await subgraph.execute<DashboardCatalogue>(DASHBOARD_PART);
    expect(errors).toBeUndefined();
    const goals = data!.goals;
    expect(goals.map((g) => [g.id, g.title])).toEqual([
      ['1', 'Proteger a Nuestra Gente'],
      ['2', 'Prevenir los Delitos Transfronterizos'],
      ['3', 'Perseguir las Redes Criminales'],
    ]);
    const areas = goals.flatMap((g) => g.areas);
    expect(areas).toHaveLength(11);
    const objectives = areas.flatMap((a) => a.objectives);
    expect(Object.fromEntries(objectives.map((o) => [o.id, o.owner]))).toEqual(OWNERS);
    for (const objective of objectives) expect(objective.indicators.length).toBeGreaterThanOrEqual(1);
  });

  it('types each indicator by its owner, which routes its values to that subgraph', async () => {
    const { data } = await subgraph.execute<DashboardCatalogue>(DASHBOARD_PART);
    const typeByOwner: Record<string, string> = {
      PUBLIC_HEALTH: 'PublicHealthIndicator',
      BORDER_TRADE: 'BorderTradeIndicator',
      FIREARMS: 'FirearmsIndicator',
      FINANCE: 'FinanceIndicator',
      EXTRADITION: 'ExtraditionIndicator',
    };
    for (const objective of data!.goals.flatMap((g) => g.areas).flatMap((a) => a.objectives)) {
      for (const indicator of objective.indicators) {
        expect([indicator.id.startsWith(`${objective.id}/`), indicator.__typename]).toEqual([
          true,
          typeByOwner[objective.owner],
        ]);
      }
    }
  });

  it('gives objective text verbatim in English and marks its own Spanish translations unofficial', async () => {
    const { data } = await subgraph.execute<{
      objective: {
        id: string;
        title: string;
        es: string;
        translation: { title: string; description: string | null };
        area: { id: string; title: string };
        goal: { id: string; translation: { title: string; description: string } };
      };
    }>(`#graphql
      { objective(id: "2.2.1") { id title es: title(lang: ES) translation { title description }
          area { id title } goal { id translation { title description } } } }`);
    expect(data!.objective).toEqual({
      id: '2.2.1',
      title: 'Increase efforts to reduce the illicit trafficking of firearms, ammunition, and explosive devices.',
      es: expect.stringMatching(/armas de fuego/),
      translation: { title: 'UNOFFICIAL', description: null },
      area: { id: '2.2', title: 'Reduce illicit firearms trafficking' },
      goal: { id: '2', translation: { title: 'OFFICIAL', description: 'UNOFFICIAL' } },
    });
  });

  it('answers null for an objective that does not exist and BAD_USER_INPUT for an id that cannot exist', async () => {
    expect(await subgraph.execute('#graphql\n { objective(id: "9.9.9") { id } }')).toEqual({
      data: { objective: null },
    });
    const malformed = await subgraph.execute('#graphql\n { objective(id: "2.2") { id } }');
    expect(codeOf(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors![0]!.extensions).toMatchObject({ field: 'id' });
    expect(codeOf(await subgraph.execute('#graphql\n { region(code: "TX") { code } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codeOf(await subgraph.execute('#graphql\n { regions(country: "CA") { code } }'))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('holds both countries, the 50 U.S. states and DC, and the 32 Mexican federal entities', async () => {
    const { data } = await subgraph.execute<{
      us: { code: string; states: { code: string }[] };
      mx: { code: string; states: { code: string }[] };
      border: { code: string }[];
      chh: { name: string; es: string; country: { code: string }; borderState: boolean };
    }>(`#graphql
      { us: region(code: "US") { code states { code } }
        mx: region(code: "MX") { code states { code } }
        border: regions(kind: STATE, borderOnly: true) { code }
        chh: region(code: "MX-CHH") { name es: name(lang: ES) country { code } borderState } }`);
    expect(data!.us.states).toHaveLength(51);
    expect(data!.us.states.map((s) => s.code)).toContain('US-DC');
    expect(data!.mx.states).toHaveLength(32);
    expect(data!.border.map((r) => r.code)).toEqual([
      'MX-BCN',
      'MX-CHH',
      'MX-COA',
      'MX-NLE',
      'MX-SON',
      'MX-TAM',
      'US-AZ',
      'US-CA',
      'US-NM',
      'US-TX',
    ]);
    expect(data!.chh).toEqual({ name: 'Chihuahua', es: 'Chihuahua', country: { code: 'MX' }, borderState: true });
  });

  it('resolves every entity it owns through _entities', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: (Record<string, unknown> | null)[] }>(
      `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          __typename
          ... on Goal { id title }
          ... on CooperationArea { id title }
          ... on JointObjective { id owner }
          ... on Region { code name }
          ... on Indicator { id unit owner }
        }
      }`,
      {
        representations: [
          { __typename: 'Goal', id: '3' },
          { __typename: 'CooperationArea', id: '3.4' },
          { __typename: 'JointObjective', id: '1.3.2' },
          { __typename: 'Region', code: 'MX-CMX' },
          { __typename: 'Indicator', id: '2.2.1/us-sourced-share' },
          { __typename: 'FirearmsIndicator', id: '2.2.1/us-sourced-share' },
          { __typename: 'PublicHealthIndicator', id: '1.3.1/mx-homicides' },
          { __typename: 'JointObjective', id: '9.9.9' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([
      { __typename: 'Goal', id: '3', title: 'Pursue Criminal Networks' },
      { __typename: 'CooperationArea', id: '3.4', title: 'Increase cooperation in extradition matters.' },
      { __typename: 'JointObjective', id: '1.3.2', owner: 'EXTRADITION' },
      { __typename: 'Region', code: 'MX-CMX', name: 'Mexico City' },
      { __typename: 'FirearmsIndicator', id: '2.2.1/us-sourced-share', unit: 'percent', owner: 'FIREARMS' },
      { __typename: 'FirearmsIndicator', id: '2.2.1/us-sourced-share', unit: 'percent', owner: 'FIREARMS' },
      {
        __typename: 'PublicHealthIndicator',
        id: '1.3.1/mx-homicides',
        unit: expect.any(String),
        owner: 'PUBLIC_HEALTH',
      },
      null,
    ]);
  });

  it('lists the registry, filtered by owner', async () => {
    const { indicators } = readFrameworkSeed();
    const { data } = await subgraph.execute<{ all: { id: string }[]; firearms: { id: string; owner: string }[] }>(
      '#graphql\n { all: indicators { id } firearms: indicators(owner: FIREARMS) { id owner } }',
    );
    expect(data!.all.map((i) => i.id).sort()).toEqual(indicators.map((i) => i.id).sort());
    expect(data!.firearms.length).toBe(indicators.filter((i) => i.owner === 'FIREARMS').length);
    expect(data!.firearms.every((i) => i.owner === 'FIREARMS' && i.id.startsWith('2.2.'))).toBe(true);
  });

  it('reads the catalogue from memory, and loads it in the same number of SQL statements with 10x more indicators', async () => {
    // The catalogue is held in memory (context.ts): loading it is a fixed set of statements, and
    // every read after it none; the property that matters, statements that do not grow with
    // the rows, is checked on the load.
    invalidateSnapshots(subgraph.prisma);
    subgraph.statements.reset();
    await subgraph.execute(DASHBOARD_PART);
    const before = subgraph.statements.count;
    subgraph.statements.reset();
    await subgraph.execute(DASHBOARD_PART);
    expect(subgraph.statements.count).toBe(0);

    const { indicators } = readFrameworkSeed();
    await subgraph.prisma.indicator.createMany({
      data: Array.from({ length: indicators.length * 9 }, (_, n) => {
        const objectiveId = Object.keys(OWNERS)[n % 26]!;
        return {
          id: `${objectiveId}/load-test-${n}`,
          objectiveId,
          owner: OWNERS[objectiveId]!,
          position: 100 + n,
          nameEn: 'Load test',
          nameEs: 'Prueba de carga',
          unitEn: 'units',
          unitEs: 'unidades',
          descriptionEn: 'Test data',
          descriptionEs: 'Datos de prueba',
        };
      }),
    });
    // Written past the write layer, so the test drops the catalogue itself (as any such write must).
    invalidateSnapshots(subgraph.prisma);
    subgraph.statements.reset();
    const { data } = await subgraph.execute<DashboardCatalogue>(DASHBOARD_PART);
    const objectives = data!.goals.flatMap((g) => g.areas).flatMap((a) => a.objectives);
    expect(objectives.flatMap((o) => o.indicators)).toHaveLength(indicators.length * 10);
    // Each objective's indicators stay in registry (position) order: the seeded ones, then the test's by n.
    for (const objective of objectives) {
      const ids = objective.indicators.map((i) => i.id);
      const tests = ids.slice(ids.findIndex((id) => id.includes('/load-test-')));
      const n = (id: string) => Number(id.split('/load-test-')[1]);
      expect(tests.every((id) => id.includes('/load-test-'))).toBe(true);
      expect(tests.map(n)).toEqual(tests.map(n).sort((a, b) => a - b));
    }
    expect(subgraph.statements.count).toBe(before);
    // Framework, goals, areas, objectives, regions, indicators.
    expect(before).toBe(6);
  });

  it('marks nested totals both ways, with a note in either language', async () => {
    const { indicators } = readFrameworkSeed();
    const nested = indicators.find((i) => i.partOf)!;
    const { data, errors } = await subgraph.execute<{
      indicator: { partOf: { id: string } | null; partOfNote: string | null; parts: { id: string }[] };
      total: { partOf: null; partOfNote: null; parts: { id: string }[] };
    }>(
      `#graphql
      query ($id: ID!, $total: ID!) {
        indicator(id: $id) { partOf { id } partOfNote(lang: ES) parts { id } }
        total: indicator(id: $total) { partOf { id } partOfNote parts { id } }
      }`,
      { id: nested.id, total: nested.partOf!.id },
    );
    expect(errors).toBeUndefined();
    expect(data!.indicator).toMatchObject({ partOf: { id: nested.partOf!.id }, partOfNote: nested.partOf!.note.es });
    expect(data!.total.parts.map((p) => p.id)).toContain(nested.id);
    expect(data!.total.parts.map((p) => p.id)).toEqual(
      indicators
        .filter((i) => i.partOf?.id === nested.partOf!.id)
        .map((i) => i.id)
        .sort(),
    );
  });

  it('brings a database seeded before a registry change up to the file at start, leaving no other row changed', async () => {
    const { indicators } = readFrameworkSeed();
    const nested = indicators.find((i) => i.partOf)!;
    // As an older registry would have left it: another name, no nested total, another order.
    await subgraph.prisma.indicator.update({
      where: { id: nested.id },
      data: { nameEn: 'An older name', partOfId: null, partOfNoteEn: null, partOfNoteEs: null, position: 99 },
    });
    await subgraph.prisma.indicator.updateMany({
      where: { objectiveId: nested.objectiveId, position: 0, NOT: { id: `${nested.objectiveId}/withdrawn` } },
      data: { position: 98 },
    });
    // And one indicator the file no longer has, in the position the file now gives another.
    await subgraph.prisma.indicator.create({
      data: {
        id: `${nested.objectiveId}/withdrawn`,
        objectiveId: nested.objectiveId,
        owner: OWNERS[nested.objectiveId]!,
        position: 0,
        nameEn: 'Withdrawn',
        nameEs: 'Retirado',
        unitEn: 'units',
        unitEs: 'unidades',
        descriptionEn: 'No longer in the registry file',
        descriptionEs: 'Ya no está en el registro',
      },
    });
    const before = await subgraph.prisma.goal.findMany({ orderBy: { id: 'asc' } });
    await framework.seed(subgraph.prisma, silent);
    invalidateSnapshots(subgraph.prisma);
    const row = await subgraph.prisma.indicator.findUniqueOrThrow({ where: { id: nested.id } });
    expect(row).toMatchObject({
      nameEn: nested.name.en,
      partOfId: nested.partOf!.id,
      partOfNoteEn: nested.partOf!.note.en,
    });
    expect(row.position).toBe(indicators.filter((i) => i.objectiveId === nested.objectiveId).indexOf(nested));
    expect(await subgraph.prisma.goal.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    const ids = indicators.map((i) => i.id);
    expect(await subgraph.prisma.indicator.count({ where: { id: { in: ids } } })).toBe(ids.length);
    // A row the file does not have stays, ordered after the file's.
    const withdrawn = await subgraph.prisma.indicator.findUniqueOrThrow({
      where: { id: `${nested.objectiveId}/withdrawn` },
    });
    expect(withdrawn.position).toBe(100_000);
    await subgraph.prisma.indicator.delete({ where: { id: withdrawn.id } });
    invalidateSnapshots(subgraph.prisma);
  });
});
