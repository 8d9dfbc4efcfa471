import type { Logger } from 'pino';
import type { SqlConnection } from '../db/database';
import type { Profile } from '@bicentennial/service';

/** What a subgraph's `seed` loads besides its published reference data. */
export interface SeedOptions {
  /** Add the synthetic sample (labelled with its SYNTHETIC source). */
  syntheticSample: boolean;
}

/**
 * A subgraph's seed: loads each part of the published reference data whose tables are empty
 * and, when asked, the synthetic sample (its loader adds nothing that is already there).
 */
export type SeedFunction = (options: SeedOptions) => Promise<void>;

export interface SeedPlan {
  profile: Profile;
  /** SYNTHETIC_SAMPLE: wanted on the first seed (production never loads it, whatever this says). */
  syntheticSample: boolean;
}

export interface SeedOutcome {
  /** The database had never been seeded. */
  firstSeed: boolean;
  syntheticSample: boolean;
}

/** The parts `SeedHistory` records. */
export const SEED_PARTS = { reference: 'reference', syntheticSample: 'synthetic-sample' } as const;

/**
 * Seeds a subgraph's database by its profile, on the migration lock's connection (`migrate`'s
 * `underLock`), so two replicas starting together cannot both seed.
 *
 * Reference data is loaded by every seed, part by part into empty tables. The synthetic sample is
 * loaded only by the first seed of a database, and only in development: whether a seed ever ran
 * is recorded in the table "SeedHistory" (a model and migration in each subgraph, like
 * "Submission", so the migration drift check covers it and Prisma owns its shape; a table the
 * shared runner created beside "_prisma_migrations" would be outside both, and a row in
 * "_prisma_migrations" itself would make `prisma migrate status` report a migration that does not
 * exist). An operator who deletes the synthetic rows, or empties a table, therefore never gets
 * them back, and a database first seeded in production never gets a sample.
 */
export async function seedDatabase(
  connection: SqlConnection,
  plan: SeedPlan,
  seed: SeedFunction,
  logger: Logger,
): Promise<SeedOutcome> {
  const history = await connection.query<{ part: string }>('SELECT "part" FROM "SeedHistory"');
  const firstSeed = history.length === 0;
  const syntheticSample = firstSeed && plan.profile === 'development' && plan.syntheticSample;
  if (!firstSeed && plan.profile === 'development' && plan.syntheticSample) {
    logger.debug('seeded before: the synthetic sample is only added by a first seed');
  }
  await seed({ syntheticSample });
  // Recorded after the seed: a start that dies half-way records nothing, and the next one repeats
  // it (reference parts load into empty tables only, the sample's rows have natural keys).
  const parts = [SEED_PARTS.reference, ...(syntheticSample ? [SEED_PARTS.syntheticSample] : [])];
  for (const part of parts) {
    await connection.query(
      'INSERT INTO "SeedHistory" ("part", "profile") VALUES ($1, $2) ON CONFLICT ("part") DO NOTHING',
      [part, plan.profile],
    );
  }
  return { firstSeed, syntheticSample };
}
