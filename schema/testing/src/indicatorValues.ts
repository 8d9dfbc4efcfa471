import {
  insertRows,
  invalidateSnapshots,
  readIndicatorSeed,
  type PrismaLike,
  type RawSql,
} from '@bicentennial/subgraph-kit';
import type { TestSubgraph } from './subgraph';

export interface SourceResult {
  id: string;
  publisher: string;
  title: string;
  url: string | null;
  kind: string;
  publishedOn: string | null;
  citedVia: string | null;
}

export interface ObservationResult {
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

export interface IndicatorResult {
  id: string;
  /** The headline series. */
  series: ObservationResult[];
  latest: ObservationResult | null;
  /** Every value. */
  observations: ObservationResult[];
  headline: { publisher: string; periodKind: string; country: string; regionCode: string | null } | null;
  coverage: { hasData: boolean; reason: string | null; note: string | null };
}

/** `YYYY-MM-DD` of a date, as the `Date` scalar serializes it. */
export const day = (date: Date) => date.toISOString().slice(0, 10);

/** Rows in a stable order, for comparing lists whose order does not matter. */
export const byJson = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * The tests every domain subgraph's indicator values must pass, registered in the calling
 * `describe`: `_entities` of its indicator type gives exactly the seeded values (oldest first,
 * empty for an indicator without published figures), an id it does not hold is null, the values
 * are served from the process's snapshot (no SQL once loaded; loading it takes the same SQL
 * statements with 10x more indicators and values), and a value written through the subgraph's
 * mutation is in the very next read while a write that failed leaves nothing. Returns helpers for
 * the subgraph's own, domain-specific assertions.
 */
export function indicatorValueSuite<P extends PrismaLike & RawSql>(options: {
  /** The subgraph's indicator type, e.g. `FirearmsIndicator`. */
  typename: string;
  /** An objective the subgraph owns, for the ids of test-only indicators. */
  objectiveId: string;
  seedFile: string;
  subgraph: () => TestSubgraph<P>;
}) {
  const seed = readIndicatorSeed(options.seedFile);
  const entities = `#graphql
    query Entities($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on ${options.typename} {
          id
          series { ...ObservationFields }
          latest { ...ObservationFields }
          observations { ...ObservationFields }
          headline { publisher periodKind country regionCode }
          coverage { hasData reason note }
        }
      }
    }
    fragment ObservationFields on Observation {
      period periodKind periodStart periodEnd value qualifier country regionCode status note
      source { id publisher title url kind publishedOn citedVia }
    }`;
  const representations = (ids: string[]) => ids.map((id) => ({ __typename: options.typename, id }));
  const resolve = async (ids: string[]) => {
    const { data, errors } = await options.subgraph().execute<{ _entities: IndicatorResult[] }>(entities, {
      representations: representations(ids),
    });
    expect(errors).toBeUndefined();
    return data!._entities;
  };
  const one = async (id: string) => (await resolve([id]))[0]!;

  it('resolves every seeded indicator with exactly the seeded values and their sources', async () => {
    const ids = seed.indicators.map((i) => i.id);
    const resolved = await resolve(ids);
    expect(resolved.map((i) => i.id)).toEqual(ids);
    const got = resolved.flatMap((indicator) =>
      indicator.observations.map((o) => ({
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
    for (const indicator of resolved) {
      const starts = indicator.observations.map((o) => o.periodStart);
      expect(starts).toEqual([...starts].sort());
      const declared = seed.indicators.find((i) => i.id === indicator.id)!;
      if (!seed.observations.some((o) => o.indicatorId === indicator.id)) {
        expect(indicator).toMatchObject({
          series: [],
          latest: null,
          observations: [],
          coverage: { hasData: false, reason: declared.coverageReason, note: declared.coverageNote },
        });
        expect(['NO_PUBLISHED_FIGURE', 'NOT_YET_SUBMITTED']).toContain(indicator.coverage.reason);
      } else {
        expect(indicator.coverage).toEqual({ hasData: true, reason: null, note: null });
      }
    }
  });

  it('draws each headline series from one source family, period kind and region, one value per period', async () => {
    const resolved = await resolve(seed.indicators.map((i) => i.id));
    for (const indicator of resolved.filter((i) => i.observations.length > 0)) {
      const label = indicator.id;
      const headline = indicator.headline!;
      expect({ label, headline: headline !== null }).toEqual({ label, headline: true });
      expect({ label, empty: indicator.series.length === 0 }).toEqual({ label, empty: false });
      const region = headline.regionCode ?? headline.country;
      const periods = indicator.series.map((o) => o.period);
      expect({ label, periods }).toEqual({ label, periods: [...new Set(periods)] });
      const starts = indicator.series.map((o) => o.periodStart);
      expect({ label, starts }).toEqual({ label, starts: [...starts].sort() });
      for (const point of indicator.series) {
        expect({ label, point: [point.source.publisher, point.periodKind, point.regionCode ?? point.country] }).toEqual(
          {
            label,
            point: [headline.publisher, headline.periodKind, region],
          },
        );
        // A final value of the period wins over every provisional one.
        const sameFamily = indicator.observations.filter(
          (o) =>
            o.period === point.period &&
            o.source.publisher === headline.publisher &&
            (o.regionCode ?? o.country) === region,
        );
        if (sameFamily.some((o) => o.status === 'FINAL'))
          expect({ label, status: point.status }).toEqual({ label, status: 'FINAL' });
      }
      expect({ label, latest: indicator.latest }).toEqual({ label, latest: indicator.series.at(-1) });
    }
  });

  it('resolves an indicator it does not hold to null', async () => {
    const { data, errors } = await options.subgraph().execute<{ _entities: (IndicatorResult | null)[] }>(entities, {
      representations: representations([`${options.objectiveId}/no-such-indicator`]),
    });
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([null]);
  });

  it('serves the values from memory, and loads them in the same number of SQL statements with 10x more indicators and values', async () => {
    // The values are held in memory (indicatorSnapshot): loading them is a fixed set of
    // statements, and every read after it none; the property that matters, statements that do
    // not grow with the rows, is checked on the load.
    const subgraph = options.subgraph();
    const ids = seed.indicators.map((i) => i.id);
    invalidateSnapshots(subgraph.prisma);
    subgraph.statements.reset();
    await subgraph.execute(entities, { representations: representations(ids) });
    const before = subgraph.statements.count;
    subgraph.statements.reset();
    await resolve(ids);
    expect(subgraph.statements.count).toBe(0);

    const extraIds = Array.from({ length: ids.length * 9 }, (_, n) => `${options.objectiveId}/load-test-${n}`);
    await subgraph.prisma.$executeRawUnsafe(
      `INSERT INTO "Indicator" (id, "objectiveId", direction, "directionRuleEn", "directionRuleEs")
       SELECT unnest($1::text[]), $2, 'HIGHER_IS_BETTER', 'test', 'prueba'`,
      extraIds,
      options.objectiveId,
    );
    const values = [...ids, ...extraIds].flatMap((indicatorId) =>
      Array.from({ length: 10 }, (_, year) => ({ indicatorId, year: 1990 + year })),
    );
    await insertRows(
      subgraph.prisma,
      'Observation',
      [
        { name: 'indicatorId', type: 'text', value: (o) => o.indicatorId },
        { name: 'period', type: 'text', value: (o) => String(o.year) },
        { name: 'periodKind', type: '"PeriodKind"', value: () => 'CALENDAR_YEAR' },
        { name: 'periodStart', type: 'date', value: (o) => new Date(Date.UTC(o.year, 0, 1)) },
        { name: 'periodEnd', type: 'date', value: (o) => new Date(Date.UTC(o.year, 11, 31)) },
        { name: 'value', type: 'float8', value: (o) => o.year },
        { name: 'regionCode', type: 'text', value: () => 'MX' },
        { name: 'status', type: '"ObservationStatus"', value: () => 'FINAL' },
        { name: 'sourceId', type: 'text', value: () => seed.sources[0]!.id },
        { name: 'recordedBy', type: 'text', value: () => 'test' },
      ],
      values,
    );

    try {
      // Written past the write layer, so the test drops the snapshot itself (as any such write must).
      invalidateSnapshots(subgraph.prisma);
      subgraph.statements.reset();
      const grown = await resolve([...ids, ...extraIds]);
      expect(grown).toHaveLength(ids.length * 10);
      expect(grown.every((i) => i.observations.length >= 10)).toBe(true);
      expect(subgraph.statements.count).toBe(before);
    } finally {
      // The test's rows go again, so the subgraph's own tests see only the seed, in any order.
      await subgraph.prisma.$executeRawUnsafe(`DELETE FROM "Observation" WHERE "recordedBy" = 'test'`);
      await subgraph.prisma.$executeRawUnsafe(`DELETE FROM "Indicator" WHERE id = ANY($1::text[])`, extraIds);
      invalidateSnapshots(subgraph.prisma);
    }
    // Loading the snapshot: indicators; observations, targets and baselines, each with its sources.
    expect(before).toBe(7);
  });

  it('answers a value written through the mutation in the next read, and nothing of a write that failed', async () => {
    const subgraph = options.subgraph();
    const domain = options.typename.replace(/Indicator$/, '');
    const indicatorId = seed.indicators[0]!.id;
    const value = (period: string, amount: number) => ({
      indicatorId,
      period,
      periodKind: 'CALENDAR_YEAR',
      value: amount,
      region: 'MX',
      status: 'FINAL',
      sourceId: seed.sources[0]!.id,
    });
    const periods = (indicator: IndicatorResult) => indicator.observations.map((o) => [o.period, o.value]);
    const before = await one(indicatorId);
    // Served from memory now: the write must drop what is held for the next read to see it.
    subgraph.statements.reset();
    expect(await one(indicatorId)).toEqual(before);
    expect(subgraph.statements.count).toBe(0);
    try {
      const submitted = await subgraph.execute(
        `#graphql
        mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
          submit${domain}Observation(input: $input, submission: $submission) { period value }
        }`,
        { input: value('1901', 19.01), submission: { idempotencyKey: `indicator-suite-${Date.now()}` } },
      );
      expect(submitted.errors).toBeUndefined();
      expect(periods(await one(indicatorId))).toEqual(expect.arrayContaining([['1901', 19.01]]));

      // An import with a row that contradicts the stored 1901 value writes none of its rows.
      const imported = await subgraph.execute<{ result: { inserted: number; errors: { code: string }[] } }>(
        `#graphql
        mutation ($rows: [ObservationInput!]!) {
          result: import${domain}Observations(rows: $rows) { inserted errors { code } }
        }`,
        { rows: [value('1902', 19.02), value('1901', 1)] },
      );
      expect(imported.errors).toBeUndefined();
      expect(imported.data!.result).toEqual({ inserted: 0, errors: [{ code: 'CONFLICT' }] });
      const after = await one(indicatorId);
      expect(periods(after).filter(([period]) => period === '1901' || period === '1902')).toEqual([['1901', 19.01]]);
      expect(after.observations).toHaveLength(before.observations.length + 1);
    } finally {
      await subgraph.prisma.$executeRawUnsafe(
        `DELETE FROM "Observation" WHERE "indicatorId" = $1 AND period IN ('1901', '1902')`,
        indicatorId,
      );
      invalidateSnapshots(subgraph.prisma);
    }
  });

  return { seed, resolve, one };
}
