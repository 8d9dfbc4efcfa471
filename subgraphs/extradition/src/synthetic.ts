import { inBatches } from '@bicentennial/schema';
import { organizationSlugs } from '@bicentennial/seeds';
import * as extraditionSynthetic from '@bicentennial/seeds/synthetic/extradition';
import type { PrismaClient } from './generated/prisma/client';

export const SYNTHETIC_SOURCE_ID = 'synthetic-extradition';
const BATCH = 5000;

export interface SyntheticScale {
  seed: number;
  cases: number;
}

/**
 * Loads deterministic synthetic extradition cases (labelled with the SYNTHETIC source, persons
 * named "Synthetic person …") in batches of 5,000 rows per statement. Re-running the same scale
 * and seed adds nothing (`recordId` is the natural key). `onProgress` hears the rows written so far.
 */
export async function loadSynthetic(
  prisma: PrismaClient,
  scale: SyntheticScale,
  onProgress: (rows: number) => void = () => undefined,
): Promise<{ cases: number }> {
  const source = extraditionSynthetic.SYNTHETIC_SOURCE;
  await prisma.source.createMany({
    data: [
      {
        id: SYNTHETIC_SOURCE_ID,
        publisher: source.publisher,
        title: `Synthetic extradition cases (seed ${scale.seed}): not real persons or events`,
        kind: source.kind,
      },
    ],
    skipDuplicates: true,
  });
  const organizations = [...organizationSlugs()].sort();
  let written = 0;
  let cases = 0;
  for (const batch of inBatches(
    BATCH,
    extraditionSynthetic.syntheticExtraditionCases(scale.seed, scale.cases, organizations),
  )) {
    cases += await prisma.$executeRawUnsafe(
      `INSERT INTO "ExtraditionCase" (id, "recordId", "objectiveId", person, "requestingCountry", "requestedCountry",
                                      "caseStatus", "statusOn", "requestedOn", "approvedOn", "surrenderedOn", "deniedOn",
                                      "transferMechanism", charges, destination, "organizationSlug", notable,
                                      "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, p, rc::"TreatyParty", rd::"TreatyParty", s::"ExtraditionStatus", so, ro, ao, su, de,
              m::"TransferMechanism", string_to_array(c, ',')::"ExtraditionCharge"[], d, org, false,
              $17, 'FINAL', rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[],
                   $9::date[], $10::date[], $11::date[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
            AS x(r, o, p, rc, rd, s, so, ro, ao, su, de, m, c, d, org, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((c) => c.recordId),
      batch.map((c) => c.objectiveId),
      batch.map((c) => c.person),
      batch.map((c) => c.requestingCountry),
      batch.map((c) => c.requestedCountry),
      batch.map((c) => c.status),
      batch.map((c) => c.statusOn),
      batch.map((c) => c.requestedOn),
      batch.map((c) => c.approvedOn),
      batch.map((c) => c.surrenderedOn),
      batch.map((c) => c.deniedOn),
      batch.map((c) => c.transferMechanism),
      batch.map((c) => c.charges.join(',')),
      batch.map((c) => c.destination),
      batch.map((c) => c.organizationSlug),
      batch.map((c) => c.releasableTo),
      SYNTHETIC_SOURCE_ID,
    );
    written += batch.length;
    onProgress(written);
  }
  return { cases };
}
