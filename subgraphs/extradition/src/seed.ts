import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIndicatorSeed, SOURCE_KINDS, type SeedOptions, syncIndicatorSeed } from '@bicentennial/subgraph-kit';
import { type Logger } from '@bicentennial/service';
import { ORGANIZATION_SLUG, seedDir } from '@bicentennial/seeds';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';
import { CHARGES, DAY_OF, EXTRADITION_OBJECTIVE, MECHANISMS, STATUSES, TREATY_PARTIES } from './records/cases';
import { loadSynthetic, SYNTHETIC_SOURCE_ID } from './synthetic';

export const SEED_FILE = join(seedDir('extradition'), 'indicators.json');
export const RECORDS_FILE = join(seedDir('extradition'), 'records.json');
/** Synthetic cases loaded at first start, so that objectives and organizations have cases to show. */
export const SYNTHETIC_SAMPLE = { seed: 1, cases: 300 } as const;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .transform((d) => new Date(`${d}T00:00:00Z`));
const recordsFile = z.strictObject({
  $comment: z.string(),
  sources: z.array(
    z.strictObject({
      id: z.string(),
      publisher: z.string().min(1),
      title: z.string().min(1),
      url: z.string().nullable(),
      kind: z.enum(SOURCE_KINDS).exclude(['SYNTHETIC']),
      publishedOn: day.nullable(),
      citedVia: z.string().nullable(),
    }),
  ),
  transferActions: z.array(
    z.strictObject({
      recordId: z.string(),
      mechanism: z.enum(MECHANISMS),
      sendingCountry: z.enum(TREATY_PARTIES),
      receivingCountry: z.enum(TREATY_PARTIES),
      startedOn: day,
      endedOn: day,
      personsTransferred: z.number().int().positive(),
      destinationCities: z.number().int().positive().nullable(),
      source: z.string(),
      note: z.string().nullable(),
    }),
  ),
  cases: z.array(
    z.strictObject({
      recordId: z.string(),
      person: z.string().min(1),
      alias: z.string().nullable(),
      requestingCountry: z.enum(TREATY_PARTIES),
      requestedCountry: z.enum(TREATY_PARTIES),
      status: z.enum(STATUSES),
      requestedOn: day.nullable(),
      approvedOn: day.nullable(),
      surrenderedOn: day.nullable(),
      transferMechanism: z.enum(MECHANISMS),
      charges: z.array(z.enum(CHARGES)),
      destination: z.string().nullable(),
      organization: z.string().regex(ORGANIZATION_SLUG).nullable(),
      transferAction: z.string().nullable(),
      source: z.string(),
    }),
  ),
});

export const readRecords = () => recordsFile.parse(JSON.parse(readFileSync(RECORDS_FILE, 'utf8')));

/**
 * Loads an empty database, each part in one transaction when its tables are empty: the indicator
 * values and the public records (notable cases and transfers); and, when `options` asks, a small
 * synthetic sample.
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
  if ((await prisma.transferAction.findFirst({ select: { id: true } })) === null) {
    const { sources, transferActions, cases } = readRecords();
    await prisma.$transaction([
      prisma.source.createMany({ data: sources, skipDuplicates: true }),
      prisma.transferAction.createMany({
        data: transferActions.map(({ source: sourceId, ...transfer }) => ({
          ...transfer,
          objectiveId: EXTRADITION_OBJECTIVE,
          sourceId,
          recordedBy: 'seed',
        })),
      }),
      prisma.extraditionCase.createMany({
        data: cases.map(({ source: sourceId, status, organization, transferAction, ...extradition }) => ({
          ...extradition,
          objectiveId: EXTRADITION_OBJECTIVE,
          caseStatus: status,
          statusOn: statusDay(extradition, status, extradition.recordId),
          organizationSlug: organization,
          transferActionId: transferAction,
          notable: true,
          sourceId,
          recordedBy: 'seed',
        })),
      }),
    ]);
    logger.info(
      { transferActions: transferActions.length, cases: cases.length },
      'seeded the public extradition records',
    );
  }
  if (options.syntheticSample) {
    const loaded = await loadSynthetic(prisma, SYNTHETIC_SAMPLE);
    logger.info(loaded, `seeded a synthetic sample (source ${SYNTHETIC_SOURCE_ID})`);
  }
}

/** The day a seeded case reached its status; the seed file must give it. */
function statusDay(
  days: { requestedOn: Date | null; approvedOn: Date | null; surrenderedOn: Date | null },
  status: (typeof STATUSES)[number],
  recordId: string,
): Date {
  const field = DAY_OF[status];
  const on = field === 'deniedOn' ? null : days[field];
  if (!on) throw new Error(`${RECORDS_FILE}: case ${recordId} is ${status} without its ${field}`);
  return on;
}
