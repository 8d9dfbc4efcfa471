import { readIndicatorSeed } from '@bicentennial/schema';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/schema/testing';
import * as extradition from '../server';
import { readRecords, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

const ENTITIES = `#graphql
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on ExtraditionIndicator {
        id
        series { ...ObservationFields }
        latest { ...ObservationFields }
      }
    }
  }
  fragment ObservationFields on Observation {
    period periodKind periodStart periodEnd value qualifier country regionCode status note
    source { id publisher title url kind publishedOn citedVia }
  }
`;

interface SourceResult {
  id: string;
  publisher: string;
  title: string;
  url: string | null;
  kind: string;
  publishedOn: string | null;
  citedVia: string | null;
}

interface ObservationResult {
  period: string;
  periodKind: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  qualifier: string;
  country: string | null;
  regionCode: string | null;
  status: string;
  note: string | null;
  source: SourceResult;
}

interface IndicatorResult {
  id: string;
  series: ObservationResult[];
  latest: ObservationResult | null;
}

const representations = (ids: string[]) => ids.map((id) => ({ __typename: 'ExtraditionIndicator', id }));
const day = (date: Date) => date.toISOString().slice(0, 10);
const byJson = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('extradition subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(extradition);
  });
  afterAll(() => subgraph.close());

  const resolve = async (ids: string[]) => {
    const { data, errors } = await subgraph.execute<{ _entities: IndicatorResult[] }>(ENTITIES, {
      representations: representations(ids),
    });
    expect(errors).toBeUndefined();
    return data!._entities;
  };
  const one = async (id: string) => (await resolve([id]))[0]!;

  it('resolves every seeded indicator with exactly the seeded values and their sources', async () => {
    const ids = seed.indicators.map((i) => i.id);
    const entities = await resolve(ids);
    expect(entities.map((i) => i.id)).toEqual(ids);

    const got = entities.flatMap((indicator) =>
      indicator.series.map((o) => ({
        indicatorId: indicator.id,
        period: o.period,
        periodKind: o.periodKind,
        periodStart: o.periodStart,
        periodEnd: o.periodEnd,
        value: o.value,
        qualifier: o.qualifier,
        country: o.country,
        regionCode: o.regionCode,
        status: o.status,
        sourceId: o.source.id,
        note: o.note,
      })),
    );
    const expected = seed.observations.map((o) => ({
      indicatorId: o.indicatorId,
      period: o.period,
      periodKind: o.periodKind,
      periodStart: day(o.periodStart),
      periodEnd: day(o.periodEnd),
      value: o.value,
      qualifier: o.qualifier,
      country: o.regionCode.slice(0, 2),
      regionCode: o.regionCode.includes('-') ? o.regionCode : null,
      status: o.status,
      sourceId: o.sourceId,
      note: o.note,
    }));
    expect(got).toHaveLength(expected.length);
    expect(byJson(got)).toEqual(byJson(expected));

    for (const indicator of entities) {
      const starts = indicator.series.map((o) => o.periodStart);
      expect(starts).toEqual([...starts].sort());
      const seeded = seed.observations.some((o) => o.indicatorId === indicator.id);
      if (!seeded) expect(indicator).toEqual({ id: indicator.id, series: [], latest: null });
    }
  });

  it('gives yearly FGR extradition counts and keeps the conflicting Expansión series as its own source', async () => {
    const extraditions = await one('3.4.1/mx-extraditions-to-us');
    const fgr2023 = extraditions.series.filter((o) => o.source.id === 'fgr-extradition-statistics-2023-12');
    expect(fgr2023.filter((o) => o.periodKind === 'CALENDAR_YEAR').map((o) => [o.period, o.value])).toEqual([
      ['2019', 53],
      ['2020', 56],
      ['2021', 37],
      ['2022', 78],
    ]);
    expect(fgr2023.find((o) => o.period === '2023-01-01/2023-10-09')).toMatchObject({ value: 54 });

    const expansion = extraditions.series.filter((o) => o.source.citedVia?.includes('Expansión'));
    expect(new Set(expansion.map((o) => o.source.id))).toEqual(new Set(['fgr-transparency-expansion-2021-02-08']));
    expect(expansion.map((o) => [o.period, o.value])).toEqual(
      expect.arrayContaining([
        ['2000/2020', 1284],
        ['2006-12-01/2008-11-30', 179],
        ['2012-12-01/2014-11-30', 120],
        ['2018-12-01/2020-11-30', 82],
      ]),
    );
    expect(expansion.every((o) => o.source.kind === 'OFFICIAL' && o.country === 'MX')).toBe(true);
  });

  it('keeps presidencies as multi-year totals, never split into years', async () => {
    const extraditions = await one('3.4.1/mx-extraditions-to-us');
    const value = (period: string) => extraditions.series.find((o) => o.period === period);
    expect(value('2001/2006')).toMatchObject({ periodKind: 'MULTI_YEAR', value: 133 });
    expect(value('2007/2012')).toMatchObject({
      periodKind: 'MULTI_YEAR',
      periodStart: '2007-01-01',
      periodEnd: '2012-12-31',
      value: 473,
    });
    expect(value('2013/2018')).toMatchObject({ periodKind: 'MULTI_YEAR', value: 345 });
    expect(value('2019-01-01/2023-10-09')).toMatchObject({ periodKind: 'DATE_RANGE', value: 302 });
    // No single year inside a presidency's total is given a value of its own by the same source.
    const yearsOfTotals = extraditions.series.filter(
      (o) =>
        o.periodKind === 'CALENDAR_YEAR' &&
        o.source.id === 'fgr-extradition-statistics-2023-12' &&
        Number(o.period) >= 2001 &&
        Number(o.period) <= 2018,
    );
    expect(yearsOfTotals).toEqual([]);
    // Latest: the periods ending 9 October 2023, the shorter (year-to-date) one.
    expect(extraditions.latest).toMatchObject({ period: '2023-01-01/2023-10-09', value: 54 });
  });

  it('gives the 2025 transfers outside formal extradition one value per transfer', async () => {
    const transfers = await one('3.4.1/mx-transfers-to-us');
    expect(transfers.series.map((o) => [o.period, o.value])).toEqual([
      ['2025-02-27/2025-02-27', 29],
      ['2025-08-12/2025-08-12', 26],
    ]);
  });

  it('resolves an indicator it does not hold to null', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: (IndicatorResult | null)[] }>(ENTITIES, {
      representations: representations(['3.4.1/no-such-indicator']),
    });
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([null]);
  });

  it("lists its sources: the public figures', the public records' and the synthetic sample's", async () => {
    const { data, errors } = await subgraph.execute<{ extraditionSources: SourceResult[] }>(
      '#graphql\n { extraditionSources { id publisher title url kind publishedOn citedVia } }',
    );
    expect(errors).toBeUndefined();
    const expected = [...seed.sources, ...readRecords().sources].map((s) => ({
      ...s,
      publishedOn: s.publishedOn && day(s.publishedOn),
    }));
    const official = data!.extraditionSources.filter((s) => s.kind === 'OFFICIAL');
    expect(byJson(official)).toEqual(byJson(expected));
    expect(data!.extraditionSources.filter((s) => s.kind === 'SYNTHETIC').map((s) => s.id)).toEqual([
      SYNTHETIC_SOURCE_ID,
    ]);
  });

  it('reads in the same number of SQL statements when there are 10x more indicators and values', async () => {
    const ids = seed.indicators.map((i) => i.id);
    subgraph.statements.reset();
    await subgraph.execute(ENTITIES, { representations: representations(ids) });
    const before = subgraph.statements.count;

    const extraIds = Array.from({ length: ids.length * 9 }, (_, n) => `3.4.1/load-test-${n}`);
    await subgraph.prisma.indicator.createMany({ data: extraIds.map((id) => ({ id, objectiveId: '3.4.1' })) });
    const source = seed.sources[0]!.id;
    await subgraph.prisma.observation.createMany({
      data: [...ids, ...extraIds].flatMap((indicatorId) =>
        Array.from({ length: 10 }, (_, year) => ({
          indicatorId,
          period: String(1990 + year),
          periodKind: 'CALENDAR_YEAR' as const,
          periodStart: new Date(Date.UTC(1990 + year, 0, 1)),
          periodEnd: new Date(Date.UTC(1990 + year, 11, 31)),
          value: year,
          regionCode: 'MX',
          status: 'FINAL' as const,
          sourceId: source,
          recordedBy: 'test',
        })),
      ),
    });

    subgraph.statements.reset();
    const { data } = await subgraph.execute<{ _entities: IndicatorResult[] }>(ENTITIES, {
      representations: representations([...ids, ...extraIds]),
    });
    expect(data!._entities).toHaveLength(ids.length * 10);
    expect(data!._entities.every((i) => i.series.length >= 10)).toBe(true);
    expect(subgraph.statements.count).toBe(before);
    expect(before).toBeLessThanOrEqual(3);
  });
});
