import { join } from 'node:path';
import { readIndicatorSeed, type Logger } from '@bicentennial/schema';
import { seedDir } from '@bicentennial/seeds';
import type { PrismaClient } from './generated/prisma/client';

export const SEED_FILE = join(seedDir('finance'), 'indicators.json');

/** Loads the public figures into an empty database, in one transaction; otherwise does nothing. */
export async function seed(prisma: PrismaClient, logger: Logger): Promise<void> {
  if ((await prisma.indicator.count()) > 0) {
    logger.debug('indicator values present: not seeding');
    return;
  }
  const rows = readIndicatorSeed(SEED_FILE);
  await prisma.$transaction([
    prisma.source.createMany({ data: rows.sources }),
    prisma.indicator.createMany({ data: rows.indicators }),
    prisma.observation.createMany({ data: rows.observations.map((o) => ({ ...o, recordedBy: 'seed' })) }),
  ]);
  logger.info(
    { sources: rows.sources.length, indicators: rows.indicators.length, observations: rows.observations.length },
    'seeded indicator values',
  );
}
