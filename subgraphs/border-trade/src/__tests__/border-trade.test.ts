import { readIndicatorSeed } from '@bicentennial/schema';
import { startTestSubgraph, type TestSubgraph } from '@bicentennial/schema/testing';
import * as borderTrade from '../server';
import { readPorts, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

const ENTITIES = `#graphql
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on BorderTradeIndicator {
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

const representations = (ids: string[]) => ids.map((id) => ({ __typename: 'BorderTradeIndicator', id }));
const day = (date: Date) => date.toISOString().slice(0, 10);
const byJson = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('border-trade subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(borderTrade);
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

  it('gives CBP nationwide fentanyl seizures in pounds per federal fiscal year, as CBP published them', async () => {
    const cbp = await one('2.3.3/cbp-fentanyl-seizures');
    const value = (period: string) => cbp.series.find((o) => o.period === period);
    expect(value('FY2020')).toMatchObject({
      periodKind: 'FISCAL_YEAR',
      periodStart: '2019-10-01',
      periodEnd: '2020-09-30',
      value: 4776,
      qualifier: 'EXACT',
      country: 'US',
      regionCode: null,
      source: { kind: 'OFFICIAL', publisher: 'U.S. Customs and Border Protection (CBP)' },
    });
    expect(value('FY2022')).toMatchObject({ value: 14699.88, qualifier: 'EXACT' });
    expect(value('FY2023')).toMatchObject({ value: 27000, qualifier: 'AT_LEAST' });
    expect(value('FY2024')).toMatchObject({ value: 21889, qualifier: 'EXACT' });
    expect(cbp.latest).toMatchObject({ period: 'FY2024', value: 21889, periodEnd: '2024-09-30' });

    const southwest = await one('2.1.2/sw-border-fentanyl-seizures');
    expect(southwest.series.find((o) => o.period === 'FY2024')).toMatchObject({ value: 21148 });
  });

  it('gives express consignment and international mail seizures for FY2020–FY2022', async () => {
    const [express, incidents, mail] = await resolve([
      '2.1.5/express-consignment-fentanyl-seizures',
      '2.1.5/express-consignment-fentanyl-incidents',
      '2.1.5/international-mail-fentanyl-seizures',
    ]);
    const values = (indicator: IndicatorResult | undefined) => indicator!.series.map((o) => [o.period, o.value]);
    expect(values(express)).toEqual([
      ['FY2020', 162.97],
      ['FY2021', 405.02],
      ['FY2022', 475.48],
    ]);
    expect(values(incidents)).toEqual([
      ['FY2020', 38],
      ['FY2021', 87],
      ['FY2022', 131],
    ]);
    expect(values(mail)).toEqual([
      ['FY2020', 24.68],
      ['FY2021', 23.94],
      ['FY2022', 30.88],
    ]);
  });

  it('counts every seizure in federal fiscal years (1 October to 30 September)', async () => {
    const entities = await resolve(seed.indicators.map((i) => i.id));
    const series = entities.flatMap((i) => i.series);
    expect(series.length).toBeGreaterThan(0);
    for (const o of series) {
      const fiscalYear = Number(o.period.slice(2));
      expect(o).toMatchObject({
        periodKind: 'FISCAL_YEAR',
        periodStart: `${fiscalYear - 1}-10-01`,
        periodEnd: `${fiscalYear}-09-30`,
      });
    }
  });

  it('resolves an indicator it does not hold to null', async () => {
    const { data, errors } = await subgraph.execute<{ _entities: (IndicatorResult | null)[] }>(ENTITIES, {
      representations: representations(['2.3.3/no-such-indicator']),
    });
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([null]);
  });

  it("lists its sources: the public figures', the port lists' and the synthetic sample's", async () => {
    const { data, errors } = await subgraph.execute<{ borderTradeSources: SourceResult[] }>(
      '#graphql\n { borderTradeSources { id publisher title url kind publishedOn citedVia } }',
    );
    expect(errors).toBeUndefined();
    const expected = [...seed.sources, ...readPorts().sources.map((s) => ({ ...s, publishedOn: null }))].map((s) => ({
      ...s,
      publishedOn: s.publishedOn && day(s.publishedOn),
    }));
    const official = data!.borderTradeSources.filter((s) => s.kind === 'OFFICIAL');
    expect(byJson(official)).toEqual(byJson(expected));
    expect(data!.borderTradeSources.filter((s) => s.kind === 'SYNTHETIC').map((s) => s.id)).toEqual([
      SYNTHETIC_SOURCE_ID,
    ]);
  });

  it('reads in the same number of SQL statements when there are 10x more indicators and values', async () => {
    const ids = seed.indicators.map((i) => i.id);
    subgraph.statements.reset();
    await subgraph.execute(ENTITIES, { representations: representations(ids) });
    const before = subgraph.statements.count;

    const extraIds = Array.from({ length: ids.length * 9 }, (_, n) => `2.3.3/load-test-${n}`);
    await subgraph.prisma.indicator.createMany({ data: extraIds.map((id) => ({ id, objectiveId: '2.3.3' })) });
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
