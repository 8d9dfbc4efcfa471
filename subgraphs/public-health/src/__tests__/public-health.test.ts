import { readIndicatorSeed } from '@bicentennial/subgraph-kit';
import {
  byJson,
  day,
  indicatorValueSuite,
  type ObservationResult,
  type SourceResult,
  startTestSubgraph,
  type TestSubgraph,
} from '@bicentennial/testing';
import * as publicHealth from '../server';
import { readRecords, SEED_FILE } from '../seed';
import { SYNTHETIC_SOURCE_ID } from '../synthetic';
import type { PrismaClient } from '../generated/prisma/client';

/** Which of Mexico's two official homicide counts an observation comes from. */
const agency = (o: ObservationResult) =>
  o.source.publisher.includes('(INEGI)') ? 'INEGI' : o.source.publisher.includes('(SESNSP)') ? 'SESNSP' : 'other';

/** A source's outlet date as the graph gives it (records' sources have none). */
const citedOnOf = (s: object) => {
  const citedOn = (s as { citedOn?: Date | null }).citedOn;
  return citedOn ? day(citedOn) : null;
};
describe('public-health subgraph', () => {
  let subgraph: TestSubgraph<PrismaClient>;
  const seed = readIndicatorSeed(SEED_FILE);

  beforeAll(async () => {
    subgraph = await startTestSubgraph(publicHealth);
  });
  afterAll(() => subgraph.close());

  const { one } = indicatorValueSuite({
    typename: 'PublicHealthIndicator',
    objectiveId: '1.1.1',
    seedFile: SEED_FILE,
    subgraph: () => subgraph,
  });

  it('keeps INEGI and SESNSP homicide counts side by side for the same years', async () => {
    const homicides = await one('1.3.1/mx-homicides');
    const national = (period: string) =>
      homicides.observations
        .filter((o) => o.period === period && o.regionCode === null)
        .map((o) => ({ agency: agency(o), value: o.value, status: o.status, country: o.country }));

    const in2019 = national('2019');
    expect(in2019).toHaveLength(2);
    expect(in2019).toEqual(
      expect.arrayContaining([
        { agency: 'INEGI', value: 36661, status: 'FINAL', country: 'MX' },
        expect.objectContaining({ agency: 'SESNSP', value: 34720, country: 'MX' }),
      ]),
    );

    const in2023 = national('2023');
    expect(in2023).toHaveLength(4);
    expect(in2023).toEqual(
      expect.arrayContaining([
        { agency: 'INEGI', value: 31062, status: 'PROVISIONAL', country: 'MX' },
        { agency: 'INEGI', value: 32252, status: 'FINAL', country: 'MX' },
        expect.objectContaining({ agency: 'SESNSP', value: 29405 }),
        expect.objectContaining({ agency: 'SESNSP', value: 29713 }),
      ]),
    );

    const firstHalf2019 = national('2019-H1');
    expect(firstHalf2019).toHaveLength(2);
    expect(firstHalf2019).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agency: 'INEGI', value: 17198 }),
        expect.objectContaining({ agency: 'SESNSP', value: 14626 }),
      ]),
    );
    expect(homicides.observations.every((o) => agency(o) !== 'other' && o.source.kind === 'OFFICIAL')).toBe(true);
  });

  it('gives CDC overdose deaths as NCHS published them, and the latest value by the latest rule', async () => {
    const deaths = await one('1.1.1/us-overdose-deaths');
    // Calendar year 2023: the provisional total of the May 2025 release (2023 as then estimated)
    // and the final count of Data Brief No. 522.
    expect(deaths.observations.filter((o) => o.period === '2023')).toEqual([
      expect.objectContaining({
        periodKind: 'CALENDAR_YEAR',
        value: 110037,
        status: 'PROVISIONAL',
        country: 'US',
        regionCode: null,
        source: expect.objectContaining({ id: 'nchs-vsrr-release-2025-05-14', kind: 'OFFICIAL' }),
      }),
      expect.objectContaining({
        periodKind: 'CALENDAR_YEAR',
        value: 105007,
        status: 'FINAL',
        country: 'US',
        regionCode: null,
        source: expect.objectContaining({
          id: 'nchs-data-brief-522',
          publisher: 'CDC National Center for Health Statistics',
          kind: 'OFFICIAL',
        }),
      }),
    ]);
    expect(deaths.observations.find((o) => o.period === '2021')).toMatchObject({ value: 106699, status: 'FINAL' });
    expect(deaths.observations.find((o) => o.period === '2022')).toMatchObject({ value: 107941, status: 'FINAL' });
    expect(deaths.observations.find((o) => o.period === '2021-10/12M')).toMatchObject({
      value: 105752,
      status: 'PROVISIONAL',
      periodKind: 'TWELVE_MONTHS_ENDING',
      periodStart: '2020-11-01',
      periodEnd: '2021-10-31',
    });
    // The period ending last is calendar year 2024 (provisional, May 2025 release).
    expect(deaths.latest).toMatchObject({
      period: '2024',
      periodKind: 'CALENDAR_YEAR',
      value: 80391,
      status: 'PROVISIONAL',
      periodEnd: '2024-12-31',
      source: { id: 'nchs-vsrr-release-2025-05-14' },
    });
  });

  it('holds state-level values with their ISO 3166-2 region', async () => {
    const homicides = await one('1.3.1/mx-homicides');
    const state2021 = homicides.observations
      .filter((o) => o.period === '2021' && o.regionCode !== null)
      .map((o) => ({ country: o.country, regionCode: o.regionCode, value: o.value, agency: agency(o) }));
    expect(state2021).toEqual(
      expect.arrayContaining([
        { country: 'MX', regionCode: 'MX-GUA', value: 4333, agency: 'INEGI' },
        { country: 'MX', regionCode: 'MX-BCN', value: 3246, agency: 'INEGI' },
        { country: 'MX', regionCode: 'MX-MEX', value: 3114, agency: 'INEGI' },
        { country: 'MX', regionCode: 'MX-CHH', value: 2743, agency: 'INEGI' },
        { country: 'MX', regionCode: 'MX-JAL', value: 2231, agency: 'INEGI' },
      ]),
    );
    // A state value never stands in for the national latest value.
    expect(homicides.latest).toMatchObject({ country: 'MX', regionCode: null, period: '2024' });

    const rate = await one('1.3.1/mx-homicide-rate');
    expect(rate.observations.find((o) => o.period === '2024' && o.regionCode === 'MX-COL')).toMatchObject({
      value: 123,
      country: 'MX',
    });
  });

  it('lists its sources: those of the indicator values, of the records, and the synthetic one', async () => {
    const { data, errors } = await subgraph.execute<{ publicHealthSources: SourceResult[] }>(
      '#graphql\n { publicHealthSources { id publisher title url kind publishedOn citedVia citedOn } }',
    );
    expect(errors).toBeUndefined();
    const expected = [...seed.sources, ...readRecords().sources].map((s) => ({
      ...s,
      publishedOn: s.publishedOn && day(s.publishedOn),
      citedOn: citedOnOf(s),
    }));
    const published = data!.publicHealthSources.filter((s) => s.kind !== 'SYNTHETIC');
    expect(byJson(published)).toEqual(byJson(expected));
    expect(data!.publicHealthSources.filter((s) => s.kind === 'SYNTHETIC').map((s) => s.id)).toEqual([
      SYNTHETIC_SOURCE_ID,
    ]);
  });
});
