import { readIndicatorSeed } from '@bicentennial/subgraph-kit';
import {
  byJson,
  day,
  indicatorValueSuite,
  type SourceResult,
  startTestSubgraph,
  type TestSubgraph,
} from '@bicentennial/testing';
import * as extradition from '../server';
import { readRecords, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

/** A source's outlet date as the graph gives it (records' sources have none). */
const citedOnOf = (s: object) => {
  const citedOn = (s as { citedOn?: Date | null }).citedOn;
  return citedOn ? day(citedOn) : null;
};
describe('extradition subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(extradition);
  });
  afterAll(() => subgraph.close());

  const { one } = indicatorValueSuite({
    typename: 'ExtraditionIndicator',
    objectiveId: '3.4.1',
    seedFile: SEED_FILE,
    subgraph: () => subgraph,
  });

  it('gives yearly FGR extradition counts and keeps the conflicting Expansión series as its own source', async () => {
    const extraditions = await one('3.4.1/mx-extraditions-to-us');
    const fgr2023 = extraditions.observations.filter((o) => o.source.id === 'fgr-extradition-statistics-2023-12');
    expect(fgr2023.filter((o) => o.periodKind === 'CALENDAR_YEAR').map((o) => [o.period, o.value])).toEqual([
      ['2019', 53],
      ['2020', 56],
      ['2021', 37],
      ['2022', 78],
    ]);
    expect(fgr2023.find((o) => o.period === '2023-01-01/2023-10-09')).toMatchObject({ value: 54 });

    const expansion = extraditions.observations.filter((o) => o.source.citedVia?.includes('Expansión'));
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
    const value = (period: string) => extraditions.observations.find((o) => o.period === period);
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
    const yearsOfTotals = extraditions.observations.filter(
      (o) =>
        o.periodKind === 'CALENDAR_YEAR' &&
        o.source.id === 'fgr-extradition-statistics-2023-12' &&
        Number(o.period) >= 2001 &&
        Number(o.period) <= 2018,
    );
    expect(yearsOfTotals).toEqual([]);
    // Latest: the last value of the headline series (FGR's calendar years), 2022; the count to
    // 9 October 2023 is a date range, kept outside the line.
    expect(extraditions.latest).toMatchObject({ period: '2022', value: 78, periodKind: 'CALENDAR_YEAR' });
    expect(extraditions.observations.find((o) => o.period === '2023-01-01/2023-10-09')).toMatchObject({ value: 54 });
  });

  it('gives the 2025 transfers outside formal extradition one value per transfer', async () => {
    const transfers = await one('3.4.1/mx-transfers-to-us');
    expect(transfers.observations.map((o) => [o.period, o.value])).toEqual([
      ['2025-02-27/2025-02-27', 29],
      ['2025-08-12/2025-08-12', 26],
    ]);
  });

  it("lists its sources: the public figures', the public records' and the synthetic sample's", async () => {
    const { data, errors } = await subgraph.execute<{ extraditionSources: SourceResult[] }>(
      '#graphql\n { extraditionSources { id publisher title url kind publishedOn citedVia citedOn } }',
    );
    expect(errors).toBeUndefined();
    const expected = [...seed.sources, ...readRecords().sources].map((s) => ({
      ...s,
      publishedOn: s.publishedOn && day(s.publishedOn),
      citedOn: citedOnOf(s),
    }));
    const published = data!.extraditionSources.filter((s) => s.kind !== 'SYNTHETIC');
    expect(byJson(published)).toEqual(byJson(expected));
    expect(data!.extraditionSources.filter((s) => s.kind === 'SYNTHETIC').map((s) => s.id)).toEqual([
      SYNTHETIC_SOURCE_ID,
    ]);
  });
});
