import { readIndicatorSeed } from '@bicentennial/schema';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/schema/testing';
import * as finance from '../server';
import { readOrganizations, readRecords, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

const ENTITIES = `#graphql
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on FinanceIndicator {
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

const representations = (ids: string[]) => ids.map((id) => ({ __typename: 'FinanceIndicator', id }));
const day = (date: Date) => date.toISOString().slice(0, 10);
const byJson = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('finance subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(finance);
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

  it('gives the first-day designations under EO 14059 and the cartels designated as FTOs', async () => {
    const eo14059 = await one('3.1.1/ofac-eo14059-designations');
    const fto = await one('3.1.4/fto-designated-criminal-organizations');
    expect(eo14059.series).toEqual([
      expect.objectContaining({
        period: '2021-12-15',
        periodKind: 'POINT_IN_TIME',
        value: 25,
        qualifier: 'EXACT',
        source: expect.objectContaining({ id: 'treasury-press-release-jy0535', kind: 'OFFICIAL' }),
      }),
    ]);
    expect(eo14059.latest).toMatchObject({ period: '2021-12-15', value: 25 });
    expect(fto.series).toEqual([
      expect.objectContaining({
        period: '2025-02-20',
        periodKind: 'POINT_IN_TIME',
        value: 8,
        qualifier: 'EXACT',
        source: expect.objectContaining({ publisher: 'U.S. Department of State', kind: 'OFFICIAL' }),
      }),
    ]);
  });

  it('gives FinCEN fentanyl reporting for 2024 and the first section 2313a orders', async () => {
    const [sars, sarValue, p2p, orders] = await resolve([
      '3.1.3/fincen-fentanyl-sars',
      '3.1.3/fincen-fentanyl-sar-value',
      '3.3.1/fentanyl-sars-p2p-share',
      '3.1.4/fend-off-2313a-orders',
    ]);
    expect(sars!.latest).toMatchObject({ period: '2024', value: 1200, qualifier: 'AT_LEAST' });
    expect(sarValue!.latest).toMatchObject({ period: '2024', value: 1_400_000_000, qualifier: 'APPROXIMATE' });
    expect(p2p!.latest).toMatchObject({ period: '2024', value: 51 });
    expect(orders!.latest).toMatchObject({ period: '2025-06-25', value: 3 });
  });

  it('holds only official values', async () => {
    const entities = await resolve(seed.indicators.map((i) => i.id));
    const series = entities.flatMap((i) => i.series);
    expect(series.length).toBeGreaterThan(0);
    expect(series.filter((o) => o.source.kind !== 'OFFICIAL')).toEqual([]);
  });

  it('resolves an indicator it does not hold to null', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: (IndicatorResult | null)[] }>(ENTITIES, {
      representations: representations(['3.1.1/no-such-indicator']),
    });
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([null]);
  });

  it("lists its sources: the indicator values', the records' and the synthetic sample's", async () => {
    const { data, errors } = await subgraph.execute<{ financeSources: SourceResult[] }>(
      '#graphql\n { financeSources { id publisher title url kind publishedOn citedVia } }',
    );
    expect(errors).toBeUndefined();
    const expected = [
      ...seed.sources.map((s) => ({ ...s, publishedOn: s.publishedOn && day(s.publishedOn) })),
      ...readOrganizations().sources,
      ...readRecords().sources,
    ];
    const synthetic = data!.financeSources.filter((s) => s.id === SYNTHETIC_SOURCE_ID);
    expect(synthetic).toEqual([expect.objectContaining({ kind: 'SYNTHETIC' })]);
    expect(byJson(data!.financeSources.filter((s) => s.id !== SYNTHETIC_SOURCE_ID))).toEqual(byJson(expected));
  });

  it('reads in the same number of SQL statements when there are 10x more indicators and values', async () => {
    const ids = seed.indicators.map((i) => i.id);
    subgraph.statements.reset();
    await subgraph.execute(ENTITIES, { representations: representations(ids) });
    const before = subgraph.statements.count;

    const extraIds = Array.from({ length: ids.length * 9 }, (_, n) => `3.1.1/load-test-${n}`);
    await subgraph.prisma.indicator.createMany({ data: extraIds.map((id) => ({ id, objectiveId: '3.1.1' })) });
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
