import { readIndicatorSeed } from '@bicentennial/subgraph-kit';
import {
  byJson,
  day,
  indicatorValueSuite,
  type SourceResult,
  startTestSubgraph,
  type TestSubgraph,
} from '@bicentennial/testing';
import * as finance from '../server';
import { readOrganizations, readRecords, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

/** A source's outlet date as the graph gives it (records' sources have none). */
const citedOnOf = (s: object) => {
  const citedOn = (s as { citedOn?: Date | null }).citedOn;
  return citedOn ? day(citedOn) : null;
};
describe('finance subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(finance);
  });
  afterAll(() => subgraph.close());

  const { resolve, one } = indicatorValueSuite({
    typename: 'FinanceIndicator',
    objectiveId: '3.1.1',
    seedFile: SEED_FILE,
    subgraph: () => subgraph,
  });

  it('gives the first-day designations under EO 14059 and the cartels designated as FTOs', async () => {
    const eo14059 = await one('3.1.1/ofac-eo14059-designations');
    const fto = await one('3.1.4/fto-designated-criminal-organizations');
    expect(eo14059.observations).toEqual([
      expect.objectContaining({
        period: '2021-12-15',
        periodKind: 'POINT_IN_TIME',
        value: 25,
        qualifier: 'EXACT',
        source: expect.objectContaining({ id: 'treasury-press-release-jy0535', kind: 'OFFICIAL' }),
      }),
    ]);
    expect(eo14059.latest).toMatchObject({ period: '2021-12-15', value: 25 });
    expect(fto.observations).toEqual([
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
    const series = entities.flatMap((i) => i.observations);
    expect(series.length).toBeGreaterThan(0);
    expect(series.filter((o) => o.source.kind !== 'OFFICIAL')).toEqual([]);
  });

  it("lists its sources: the indicator values', the records' and the synthetic sample's", async () => {
    const { data, errors } = await subgraph.execute<{ financeSources: SourceResult[] }>(
      '#graphql\n { financeSources { id publisher title url kind publishedOn citedVia citedOn } }',
    );
    expect(errors).toBeUndefined();
    const expected = [
      ...seed.sources.map((s) => ({ ...s, publishedOn: s.publishedOn && day(s.publishedOn) })),
      ...readOrganizations().sources,
      ...readRecords().sources,
    ].map((s) => ({ ...s, citedOn: citedOnOf(s) }));
    const synthetic = data!.financeSources.filter((s) => s.id === SYNTHETIC_SOURCE_ID);
    expect(synthetic).toEqual([expect.objectContaining({ kind: 'SYNTHETIC' })]);
    expect(byJson(data!.financeSources.filter((s) => s.id !== SYNTHETIC_SOURCE_ID))).toEqual(byJson(expected));
  });
});
