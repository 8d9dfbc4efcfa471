import { readIndicatorSeed } from '@bicentennial/subgraph-kit';
import { indicatorValueSuite, startTestSubgraph, type TestSubgraph } from '@bicentennial/testing';
import * as firearms from '../server';
import { SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

describe('firearms subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(firearms);
  });
  afterAll(() => subgraph.close());

  const { resolve } = indicatorValueSuite({
    typename: 'FirearmsIndicator',
    objectiveId: '2.2.1',
    seedFile: SEED_FILE,
    subgraph: () => subgraph,
  });

  it('gives the U.S.-sourced share as ATF and GAO published it, multi-year totals kept whole', async () => {
    const [share, traced] = await resolve(['2.2.1/us-sourced-share', '2.2.1/mx-firearms-traced']);
    expect(share!.observations.find((o) => o.period === '2017/2022')).toMatchObject({ value: 67.5, country: 'MX' });
    expect(share!.observations.find((o) => o.period === '2014/2018')).toMatchObject({ value: 70 });
    expect(share!.latest).toMatchObject({ period: '2024', value: 70.5 });
    expect(traced!.observations.find((o) => o.period === '2017/2022')).toMatchObject({ value: 123741 });
    expect(traced!.observations.find((o) => o.period === '2007/2011')).toMatchObject({
      value: 99000,
      qualifier: 'AT_LEAST',
    });
    expect(traced!.observations.every((o) => o.source.kind === 'OFFICIAL')).toBe(true);
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
});
