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

  it('turns a valid file into rows with period bounds', () => {
    const rows = readIndicatorSeed(
      write({
        sources: [source],
        indicators: [{ id: '2.2.1/traced', objectiveId: '2.2.1', observations: [observation] }],
      }),
    );
    expect(rows.sources[0]?.publishedOn?.toISOString()).toBe('2025-01-02T00:00:00.000Z');
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
  });

  it('rejects a file of the wrong shape, naming the field', () => {
    expect(() =>
      readIndicatorSeed(write({ sources: [], indicators: [{ id: 'nope', objectiveId: '2.2.1', observations: [] }] })),
    ).toThrow(/indicators\.0\.id: must be <objective>\/<kebab-case-slug>/);
  });
});
