import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  periodBounds,
  readIndicatorSeed,
  SOURCE_KINDS,
  type SeedOptions,
  syncIndicatorSeed,
} from '@bicentennial/subgraph-kit';
import { type Logger } from '@bicentennial/service';
import { seedDir } from '@bicentennial/seeds';
import {
  DRUG_CLASSES,
  MX_STATES,
  overdoseObjective,
  PROGRAMME_KINDS,
  programmeObjective,
} from '@bicentennial/seeds/synthetic/publicHealth';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';
import { HOMICIDE_MEASURES, HOMICIDE_OBJECTIVE, HOMICIDE_PERIOD_KINDS } from './records/homicides';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from './synthetic';

export const SEED_FILE = join(seedDir('public-health'), 'indicators.json');
export const RECORDS_FILE = join(seedDir('public-health'), 'records.json');
/** Synthetic programmes loaded at first start, so that regions and objectives have programmes to show. */
export const SYNTHETIC_SAMPLE = { seed: 1, programmes: 300 } as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const qualifier = z.enum(['EXACT', 'APPROXIMATE', 'AT_LEAST']);
const status = z.enum(['PROVISIONAL', 'FINAL']);
const recordsFile = z.strictObject({
  $comment: z.string(),
  sources: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
      publisher: z.string().min(1),
      title: z.string().min(1),
      url: z.url().nullable(),
      kind: z.enum(SOURCE_KINDS),
      publishedOn: day.nullable(),
      citedVia: z.string().min(1).nullable(),
    }),
  ),
  overdoseDeaths: z.array(
    z.strictObject({
      period: z.string(),
      periodKind: z.enum(['CALENDAR_YEAR', 'TWELVE_MONTHS_ENDING']),
      country: z.literal('US'),
      drugClass: z.enum(DRUG_CLASSES),
      deaths: z.number().int().positive().nullable(),
      deathsQualifier: qualifier.nullable(),
      ageAdjustedRatePer100k: z.number().positive().nullable(),
      status,
      source: z.string(),
      note: z.string().min(1).nullable(),
    }),
  ),
  homicides: z.array(
    z.strictObject({
      period: z.string(),
      periodKind: z.enum(HOMICIDE_PERIOD_KINDS),
      region: z.enum(['MX', ...MX_STATES]),
      measure: z.enum(HOMICIDE_MEASURES),
      count: z.number().int().positive().nullable(),
      countQualifier: qualifier.nullable(),
      ratePer100k: z.number().positive().nullable(),
      firearmSharePercent: z.number().min(0).max(100).nullable(),
      status,
      source: z.string(),
      note: z.string().min(1).nullable(),
    }),
  ),
  programmes: z.array(
    z.strictObject({
      recordId: z.string().min(1),
      name: z.string().min(1),
      kind: z.enum(PROGRAMME_KINDS),
      country: z.enum(['US', 'MX']).nullable(),
      region: z.string().nullable(),
      startedOn: day,
      endedOn: day.nullable(),
      fundingUsd: z.number().positive().nullable(),
      fundingQualifier: qualifier.nullable(),
      peopleReached: z.number().int().positive().nullable(),
      source: z.string(),
      note: z.string().min(1).nullable(),
    }),
  ),
});

const utcDay = (text: string) => new Date(`${text}T00:00:00Z`);

/**
 * Reads and checks `records.json`: the shape, every period label against its kind, a value and its
 * qualifier given together, no natural key twice, every source known (its own or indicators.json's).
 * Returns the rows ready to insert.
 */
export function readRecords(path = RECORDS_FILE) {
  const file = recordsFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const known = new Set([...readIndicatorSeed(SEED_FILE).sources.map((s) => s.id), ...file.sources.map((s) => s.id)]);
  const problems: string[] = [];
  const keys = new Set<string>();
  const check = (where: string, source: string, key: string, value: unknown, valueQualifier: unknown) => {
    if (!known.has(source)) problems.push(`${where}: unknown source ${source}`);
    if (keys.has(key)) problems.push(`${where}: the same record is given twice`);
    keys.add(key);
    if ((value === null) !== (valueQualifier === null))
      problems.push(`${where}: a value and its qualifier go together`);
  };
  const bounds = (where: string, kind: Parameters<typeof periodBounds>[0], label: string) => {
    const found = periodBounds(kind, label);
    if (!found) problems.push(`${where}: ${label} is not a ${kind} period`);
    return found ?? { start: new Date(0), end: new Date(0) };
  };

  const overdoseDeaths = file.overdoseDeaths.map(({ source, country, period, periodKind, ...row }, index) => {
    const where = `overdoseDeaths[${index}] (${period} ${row.drugClass})`;
    check(where, source, ['O', period, row.drugClass, source, row.status].join('|'), row.deaths, row.deathsQualifier);
    if (row.deaths === null && row.ageAdjustedRatePer100k === null) problems.push(`${where}: neither deaths nor rate`);
    const { start, end } = bounds(where, periodKind, period);
    return {
      ...row,
      period,
      periodKind,
      periodStart: start,
      periodEnd: end,
      countryCode: country,
      objectiveId: overdoseObjective(row.drugClass),
      sourceId: source,
      recordedBy: 'seed',
    };
  });
  const homicides = file.homicides.map(({ source, region, period, periodKind, ...row }, index) => {
    const where = `homicides[${index}] (${period} ${region} ${row.measure})`;
    check(
      where,
      source,
      ['H', period, region, row.measure, source, row.status].join('|'),
      row.count,
      row.countQualifier,
    );
    if (row.count === null && row.ratePer100k === null) problems.push(`${where}: neither count nor rate`);
    const { start, end } = bounds(where, periodKind, period);
    return {
      ...row,
      period,
      periodKind,
      periodStart: start,
      periodEnd: end,
      regionCode: region,
      objectiveId: HOMICIDE_OBJECTIVE,
      sourceId: source,
      recordedBy: 'seed',
    };
  });
  const programmes = file.programmes.map(({ source, country, region, startedOn, endedOn, ...row }, index) => {
    const where = `programmes[${index}] (${row.recordId})`;
    check(where, source, ['P', row.recordId].join('|'), row.fundingUsd, row.fundingQualifier);
    if (region !== null && (country === null || !region.startsWith(`${country}-`))) {
      problems.push(`${where}: region ${region} is not in ${country ?? 'a country'}`);
    }
    return {
      ...row,
      countryCode: country,
      regionCode: region,
      startedOn: utcDay(startedOn),
      endedOn: endedOn === null ? null : utcDay(endedOn),
      objectiveId: programmeObjective(row.kind),
      sourceId: source,
      recordedBy: 'seed',
    };
  });
  if (problems.length > 0) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return {
    sources: file.sources.map((s) => ({ ...s, publishedOn: s.publishedOn === null ? null : utcDay(s.publishedOn) })),
    overdoseDeaths,
    homicides,
    programmes,
  };
}

/**
 * Loads an empty database, each part in one transaction when its tables are empty: the public
 * figures (indicator values; overdose and homicide statistics and the public programmes); and,
 * when `options` asks, a small synthetic sample of programmes.
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
  {
    // Every start: the file's sources, indicator metadata and any value not yet stored.
    const rows = readIndicatorSeed(SEED_FILE);
    const added = await syncIndicatorSeed(prisma, rows);
    logger.info({ sources: rows.sources.length, indicators: rows.indicators.length, added }, 'synced indicator seed');
  }
  if ((await prisma.overdoseDeathStatistic.findFirst({ select: { id: true } })) === null) {
    const { sources, overdoseDeaths, homicides, programmes } = readRecords();
    await prisma.$transaction([
      prisma.source.createMany({ data: sources, skipDuplicates: true }),
      prisma.overdoseDeathStatistic.createMany({ data: overdoseDeaths }),
      prisma.homicideStatistic.createMany({ data: homicides, skipDuplicates: true }),
      prisma.programme.createMany({ data: programmes, skipDuplicates: true }),
    ]);
    logger.info(
      { overdoseDeaths: overdoseDeaths.length, homicides: homicides.length, programmes: programmes.length },
      'seeded public statistics and programmes',
    );
  }
  if (options.syntheticSample) {
    const loaded = await loadSynthetic(prisma, SYNTHETIC_SAMPLE);
    logger.info(loaded, `seeded a synthetic sample (source ${SYNTHETIC_SOURCE_ID})`);
  }
}
