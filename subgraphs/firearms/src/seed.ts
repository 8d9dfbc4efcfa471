import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { periodBounds, readIndicatorSeed, type SeedOptions, syncIndicatorSeed } from '@bicentennial/subgraph-kit';
import { type Logger } from '@bicentennial/service';
import { seedDir } from '@bicentennial/seeds';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';
import { stateProblem } from './records/references';
import { loadSynthetic } from './synthetic';

export const SEED_FILE = join(seedDir('firearms'), 'indicators.json');
export const RECORDS_FILE = join(seedDir('firearms'), 'records.json');
/** Synthetic records loaded at first start, so that ports, organizations and objectives have records to show. */
export const SYNTHETIC_SAMPLE = { seed: 1, firearmSeizures: 1000, traffickingCases: 150 } as const;

const country = z.enum(['US', 'MX']);
const state = z
  .string()
  .regex(/^(US|MX)-[A-Z]{2,3}$/)
  .nullable();
const period = z.enum(['CALENDAR_YEAR', 'MULTI_YEAR']);
const qualifier = z.enum(['EXACT', 'APPROXIMATE', 'AT_LEAST']);
const count = z.number().int().positive().nullable();

const recordsFile = z
  .strictObject({
    $comment: z.string(),
    firearmTraces: z.array(
      z
        .strictObject({
          period: z.string(),
          periodKind: period,
          recoveryCountry: country,
          recoveryState: state,
          sourceCountry: country.nullable(),
          sourceState: state,
          tracedCount: count,
          usSourcedCount: count,
          usSourcedShare: z.number().min(0).max(100).nullable(),
          qualifier,
          source: z.string(),
          note: z.string().nullable(),
        })
        .refine((t) => t.tracedCount !== null || t.usSourcedCount !== null || t.usSourcedShare !== null, {
          message: 'a trace figure needs a count or a share',
        }),
    ),
    traceRequestStatistics: z.array(
      z.strictObject({
        period: z.string(),
        periodKind: period,
        requestingCountry: country,
        requests: z.number().int().positive(),
        qualifier,
        source: z.string(),
        note: z.string().nullable(),
      }),
    ),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.firearmTraces.forEach((t, index) => {
      const key = [t.period, t.recoveryCountry, t.recoveryState, t.sourceCountry, t.sourceState, t.source].join('|');
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['firearmTraces', index], message: `duplicate ${key}` });
      seen.add(key);
      if (t.recoveryState && stateProblem(t.recoveryState, t.recoveryCountry)) {
        ctx.addIssue({
          code: 'custom',
          path: ['firearmTraces', index, 'recoveryState'],
          message: 'not in the country',
        });
      }
    });
    [...file.firearmTraces, ...file.traceRequestStatistics].forEach((r) => {
      if (!periodBounds(r.periodKind, r.period))
        ctx.addIssue({ code: 'custom', path: ['period'], message: `${r.period} is not a ${r.periodKind} label` });
    });
  });

export const readRecords = () => recordsFile.parse(JSON.parse(readFileSync(RECORDS_FILE, 'utf8')));

const bounds = (r: { periodKind: 'CALENDAR_YEAR' | 'MULTI_YEAR'; period: string }) => {
  const b = periodBounds(r.periodKind, r.period);
  if (!b) throw new Error(`${RECORDS_FILE}: ${r.period} is not a ${r.periodKind} label`);
  return { periodStart: b.start, periodEnd: b.end };
};

/**
 * Loads an empty database, each part in one transaction when its table is empty: the public
 * figures (indicator values; ATF's trace statistics, with the same sources); and, when
 * `options` asks, a small synthetic sample of seizures and trafficking cases.
 *
 * The runtime passes what the profile decided (`seedDatabase`: only a development database's
 * first seed gets the sample); without options (tests, the synthetic-data command on a scratch
 * database) it is the development seed.
 */
export async function seed(
  prisma: PrismaClient,
  logger: Logger,
  options: SeedOptions = { syntheticSample: true },
): Promise<void> {
  // Read only when a part is missing: a seeded database starts without reading the file.
  let seedFile: ReturnType<typeof readIndicatorSeed> | undefined;
  const indicatorSeed = () => (seedFile ??= readIndicatorSeed(SEED_FILE));
  {
    // Every start: the file's sources, indicator metadata and any value not yet stored.
    const added = await syncIndicatorSeed(prisma, indicatorSeed());
    logger.info(
      { sources: indicatorSeed().sources.length, indicators: indicatorSeed().indicators.length, added },
      'synced indicator seed',
    );
  }
  if ((await prisma.firearmTrace.findFirst({ select: { id: true } })) === null) {
    const { firearmTraces, traceRequestStatistics } = readRecords();
    await prisma.$transaction([
      prisma.source.createMany({ data: indicatorSeed().sources, skipDuplicates: true }),
      prisma.firearmTrace.createMany({
        data: firearmTraces.map(({ source: sourceId, ...trace }) => ({
          ...trace,
          ...bounds(trace),
          objectiveId: '2.2.1',
          sourceId,
          recordedBy: 'seed',
        })),
      }),
      prisma.traceRequestStatistic.createMany({
        data: traceRequestStatistics.map(({ source: sourceId, ...statistic }) => ({
          ...statistic,
          ...bounds(statistic),
          objectiveId: '2.2.2',
          sourceId,
          recordedBy: 'seed',
        })),
      }),
    ]);
    logger.info(
      { firearmTraces: firearmTraces.length, traceRequestStatistics: traceRequestStatistics.length },
      'seeded trace statistics',
    );
  }
  if (options.syntheticSample) {
    const loaded = await loadSynthetic(prisma, SYNTHETIC_SAMPLE);
    logger.info(loaded, 'seeded a synthetic sample (source synthetic-firearms)');
  }
}
