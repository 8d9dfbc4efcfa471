import { readIndicatorSeed } from '@bicentennial/schema';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/schema/testing';
import * as firearms from '../server';
import { SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

const ENTITIES = `#graphql
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on FirearmsIndicator {
        id
        series { period periodKind periodStart periodEnd value qualifier country regionCode status note
                 source { id publisher title url kind publishedOn citedVia } }
        latest { period value status source { id } }
      }
    }
  }
`;

interface IndicatorResult {
  id: string;
  series: {
    period: string;
    value: number;
    qualifier: string;
    country: string;
    regionCode: string | null;
    status: string;
    source: { id: string; kind: string; publisher: string };
  }[];
  latest: { period: string; value: number } | null;
}

const representations = (ids: string[]) => ids.map((id) => ({ __typename: 'FirearmsIndicator', id }));

describe('firearms subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(firearms);
  });
  afterAll(() => subgraph.close());

  it('resolves every seeded indicator with exactly the seeded values and their sources', async () => {
    const ids = seed.indicators.map((i) => i.id);
    const { data, errors } = await subgraph.execute<{ _entities: IndicatorResult[] }>(ENTITIES, {
      representations: representations(ids),
    });
    expect(errors).toBeUndefined();
    const got = data!._entities.flatMap((indicator) =>
      indicator.series.map((o) => [indicator.id, o.period, o.country, o.regionCode, o.value, o.status, o.source.id]),
    );
    const expected = seed.observations.map((o) => [
      o.indicatorId,
      o.period,
      o.regionCode.slice(0, 2),
      o.regionCode.includes('-') ? o.regionCode : null,
      o.value,
      o.status,
      o.sourceId,
    ]);
    expect(got).toHaveLength(expected.length);
    expect(got).toEqual(expect.arrayContaining(expected));
  });

  it('gives the U.S.-sourced share as ATF and GAO published it, multi-year totals kept whole', async () => {
    const { data } = await subgraph.execute<{ _entities: IndicatorResult[] }>(ENTITIES, {
      representations: representations(['2.2.1/us-sourced-share', '2.2.1/mx-firearms-traced']),
    });
    const [share, traced] = data!._entities;
    expect(share!.series.find((o) => o.period === '2017/2022')).toMatchObject({ value: 67.5, country: 'MX' });
    expect(share!.series.find((o) => o.period === '2014/2018')).toMatchObject({ value: 70 });
    expect(share!.latest).toMatchObject({ period: '2024', value: 70.5 });
    expect(traced!.series.find((o) => o.period === '2017/2022')).toMatchObject({ value: 123741 });
    expect(traced!.series.find((o) => o.period === '2007/2011')).toMatchObject({ value: 99000, qualifier: 'AT_LEAST' });
    expect(traced!.series.every((o) => o.source.kind === 'OFFICIAL')).toBe(true);
  });

  it('resolves an indicator it does not hold to null', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: (IndicatorResult | null)[] }>(ENTITIES, {
      representations: representations(['2.2.1/no-such-indicator']),
    });
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([null]);
  });

  it("lists its sources: the public figures' and the synthetic sample's", async () => {
    const { data } = await subgraph.execute<{ firearmsSources: { id: string; kind: string }[] }>(
      '#graphql\n { firearmsSources { id kind } }',
    );
    expect(data!.firearmsSources.map((s) => s.id).sort()).toEqual(
      [...seed.sources.map((s) => s.id), SYNTHETIC_SOURCE_ID].sort(),
    );
    expect(data!.firearmsSources.filter((s) => s.kind === 'SYNTHETIC').map((s) => s.id)).toEqual([SYNTHETIC_SOURCE_ID]);
  });

  it('reads in the same number of SQL statements when there are 10x more indicators and values', async () => {
    const ids = seed.indicators.map((i) => i.id);
    subgraph.statements.reset();
    await subgraph.execute(ENTITIES, { representations: representations(ids) });
    const before = subgraph.statements.count;

    const extraIds = Array.from({ length: ids.length * 9 }, (_, n) => `2.2.1/load-test-${n}`);
    await subgraph.prisma.indicator.createMany({ data: extraIds.map((id) => ({ id, objectiveId: '2.2.1' })) });
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
    expect(before).toBe(3);
  });
});
