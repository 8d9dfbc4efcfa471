import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIndicatorSeed, SeedFileError } from '../indicators/seed';

describe('readIndicatorSeed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bicentennial-seed-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: unknown) => {
    const path = join(dir, 'indicators.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const source = { id: 'atf-2024', publisher: 'ATF', title: 'Trace data', kind: 'OFFICIAL', publishedOn: '2025-01-02' };
  const observation = {
    period: '2024',
    periodKind: 'CALENDAR_YEAR',
    value: 25884,
    region: 'MX',
    status: 'FINAL',
    source: 'atf-2024',
  };

  const meta = {
    direction: 'HIGHER_IS_BETTER',
    directionRule: { en: 'More traced is better.', es: 'Más rastreadas es mejor.' },
    headline: {
      publisher: 'ATF',
      periodKind: 'CALENDAR_YEAR',
      region: 'MX',
      description: { en: 'ATF traces per calendar year', es: 'Rastreos de la ATF por año calendario' },
    },
  };

  it('turns a valid file into rows with period bounds', () => {
    const rows = readIndicatorSeed(
      write({
        sources: [source],
        indicators: [{ id: '2.2.1/traced', objectiveId: '2.2.1', ...meta, observations: [observation] }],
      }),
    );
    expect(rows.sources[0]?.publishedOn?.toISOString()).toBe('2025-01-02T00:00:00.000Z');
    expect(rows.indicators).toEqual([
      expect.objectContaining({
        direction: 'HIGHER_IS_BETTER',
        directionRuleEs: 'Más rastreadas es mejor.',
        headlinePublisher: 'ATF',
        headlinePeriodKind: 'CALENDAR_YEAR',
        headlineRegion: 'MX',
        coverageReason: null,
      }),
    ]);
    expect(rows.observations).toEqual([
      expect.objectContaining({
        indicatorId: '2.2.1/traced',
        periodStart: new Date('2024-01-01'),
        periodEnd: new Date('2024-12-31'),
        qualifier: 'EXACT',
        regionCode: 'MX',
        sourceId: 'atf-2024',
      }),
    ]);
  });

  it('reports every problem at once', () => {
    const path = write({
      sources: [source, { ...source, id: 'never-used' }],
      indicators: [
        {
          id: '2.2.2/traced',
          objectiveId: '2.2.1',
          ...meta,
          headline: { ...meta.headline, region: 'US' },
          observations: [
            { ...observation, period: 'FY2024' },
            { ...observation, source: 'nobody' },
            observation,
            observation,
          ],
        },
      ],
    });
    let message = '';
    try {
      readIndicatorSeed(path);
    } catch (error) {
      expect(error).toBeInstanceOf(SeedFileError);
      message = (error as Error).message;
    }
    expect(message).toContain('indicator 2.2.2/traced does not belong to objective 2.2.1');
    expect(message).toContain('a CALENDAR_YEAR period is written YYYY');
    expect(message).toContain('unknown source nobody');
    expect(message).toContain('the same value is given twice');
    expect(message).toContain('source never-used is never used');
    expect(message).toContain('2.2.2/traced: no value matches its headline (ATF, CALENDAR_YEAR, US)');
  });

  it('asks an indicator without values why it has none, and one with values for its headline', () => {
    const path = write({
      sources: [source],
      indicators: [
        { id: '2.2.1/empty', objectiveId: '2.2.1', ...meta, headline: null, observations: [] },
        { id: '2.2.1/traced', objectiveId: '2.2.1', ...meta, headline: null, observations: [observation] },
        {
          id: '2.2.1/declared',
          objectiveId: '2.2.1',
          ...meta,
          coverage: { reason: 'NO_PUBLISHED_FIGURE', note: 'None found.' },
          observations: [observation],
        },
      ],
    });
    expect(() => readIndicatorSeed(path)).toThrow(
      /2\.2\.1\/empty has no values: its coverage must say why[\s\S]*2\.2\.1\/traced has values but no headline[\s\S]*2\.2\.1\/declared has values: its coverage is computed/,
    );
  });

  it('rejects a file of the wrong shape, naming the field', () => {
    expect(() =>
      readIndicatorSeed(write({ sources: [], indicators: [{ id: 'nope', objectiveId: '2.2.1', observations: [] }] })),
    ).toThrow(/indicators\.0\.id: must be <objective>\/<kebab-case-slug>/);
  });
});
