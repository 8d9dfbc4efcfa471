import { readIndicatorSeed } from '@bicentennial/subgraph-kit';
import {
  byJson,
  day,
  type IndicatorResult,
  indicatorValueSuite,
  type SourceResult,
  startTestSubgraph,
  type TestSubgraph,
} from '@bicentennial/testing';
import * as borderTrade from '../server';
import { readPorts, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

/** A source's outlet date as the graph gives it (records' sources have none). */
const citedOnOf = (s: object) => {
  const citedOn = (s as { citedOn?: Date | null }).citedOn;
  return citedOn ? day(citedOn) : null;
};
describe('border-trade subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(borderTrade);
  });
  afterAll(() => subgraph.close());

  const { resolve, one } = indicatorValueSuite({
    typename: 'BorderTradeIndicator',
    objectiveId: '2.3.3',
    seedFile: SEED_FILE,
    subgraph: () => subgraph,
  });

  it('gives CBP nationwide fentanyl seizures in pounds per federal fiscal year, as CBP published them', async () => {
    const cbp = await one('2.3.3/cbp-fentanyl-seizures');
    const value = (period: string) => cbp.observations.find((o) => o.period === period);
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
    expect(southwest.observations.find((o) => o.period === 'FY2024')).toMatchObject({ value: 21148 });
  });

  it('gives express consignment and international mail seizures for FY2020–FY2022', async () => {
    const [express, incidents, mail] = await resolve([
      '2.1.5/express-consignment-fentanyl-seizures',
      '2.1.5/express-consignment-fentanyl-incidents',
      '2.1.5/international-mail-fentanyl-seizures',
    ]);
    const values = (indicator: IndicatorResult | undefined) => indicator!.observations.map((o) => [o.period, o.value]);
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

  it('gives each BTS crossing count as one month at one port, its own line', async () => {
    const crossings = await resolve(seed.indicators.map((i) => i.id).filter((id) => id.endsWith('-crossings')));
    expect(crossings.map((i) => [i.id, i.series.map((o) => [o.period, o.value, o.regionCode])])).toEqual([
      ['2.1.2/otay-mesa-truck-crossings', [['2019-03', 81217, 'US-CA']]],
      ['2.1.2/calexico-east-truck-crossings', [['2019-03', 34447, 'US-CA']]],
      ['2.1.2/calexico-west-pedestrian-crossings', [['2019-03', 346158, 'US-CA']]],
      ['2.1.2/eagle-pass-pedestrian-crossings', [['2019-01', 56810, 'US-TX']]],
      ['2.1.2/presidio-pedestrian-crossings', [['2019-02', 15272, 'US-TX']]],
      ['2.1.2/hidalgo-pedestrian-crossings', [['2019-02', 156891, 'US-TX']]],
      ['2.1.2/nogales-train-crossings', [['2019-03', 62, 'US-AZ']]],
    ]);
    expect(crossings.every((i) => i.series[0]!.periodKind === 'MONTH')).toBe(true);
  });

  it('counts every seizure in federal fiscal years (1 October to 30 September)', async () => {
    // Seizure indicators; the BTS crossing counts are monthly samples (checked below).
    const entities = await resolve(seed.indicators.map((i) => i.id).filter((id) => !id.endsWith('-crossings')));
    const series = entities.flatMap((i) => i.observations);
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

  it("lists its sources: the public figures', the port lists' and the synthetic sample's", async () => {
    const { data, errors } = await subgraph.execute<{ borderTradeSources: SourceResult[] }>(
      '#graphql\n { borderTradeSources { id publisher title url kind publishedOn citedVia citedOn } }',
    );
    expect(errors).toBeUndefined();
    const expected = [...seed.sources, ...readPorts().sources.map((s) => ({ ...s, publishedOn: null }))].map((s) => ({
      ...s,
      publishedOn: s.publishedOn && day(s.publishedOn),
      citedOn: citedOnOf(s),
    }));
    const official = data!.borderTradeSources.filter((s) => s.kind === 'OFFICIAL');
    expect(byJson(official)).toEqual(byJson(expected));
    expect(data!.borderTradeSources.filter((s) => s.kind === 'SYNTHETIC').map((s) => s.id)).toEqual([
      SYNTHETIC_SOURCE_ID,
    ]);
  });
});
