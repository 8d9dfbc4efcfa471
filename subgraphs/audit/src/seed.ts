import type { Logger } from '@bicentennial/service';
import type { PrismaClient } from './generated/prisma/client';

/**
 * The audit subgraph has no reference data and no synthetic sample: its trail holds only what
 * the gateway really served. The shared runtime still records in "SeedHistory" that a seed ran.
 */
export function seed(_prisma: PrismaClient, logger: Logger): Promise<void> {
  logger.debug('the audit trail has no seed data');
  return Promise.resolve();
}
