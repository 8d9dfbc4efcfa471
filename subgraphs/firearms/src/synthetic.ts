import { inBatches } from '@bicentennial/schema';
import * as firearmsSynthetic from '@bicentennial/seeds/synthetic/firearms';
import type { PrismaClient } from './generated/prisma/client';
import { landPorts } from './records/references';

export const SYNTHETIC_SOURCE_ID = 'synthetic-firearms';
const BATCH = 5000;

export interface SyntheticScale {
  seed: number;
  firearmSeizures: number;
  traffickingCases: number;
}

/**
 * Loads deterministic synthetic firearm seizures and trafficking cases (labelled with the
 * SYNTHETIC source) in batches of 5,000 rows per statement. Re-running the same scale and seed
 * adds nothing (`recordId` is the natural key). `onProgress` hears the rows written so far.
 */
export async function loadSynthetic(
  prisma: PrismaClient,
  scale: SyntheticScale,
  onProgress: (rows: number) => void = () => undefined,
): Promise<{ firearmSeizures: number; traffickingCases: number }> {
  const source = firearmsSynthetic.SYNTHETIC_SOURCE;
  await prisma.source.createMany({
    data: [
      {
        id: SYNTHETIC_SOURCE_ID,
        publisher: source.publisher,
        title: `Synthetic operational records (seed ${scale.seed}): not real events`,
        kind: source.kind,
      },
    ],
    skipDuplicates: true,
  });
  const ports = [...landPorts().values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => ({ ...p, weight: firearmsSynthetic.PORT_WEIGHTS[p.code] ?? 1 }));
  let written = 0;
  let firearmSeizures = 0;
  for (const batch of inBatches(
    BATCH,
    firearmsSynthetic.syntheticFirearmSeizures(scale.seed, scale.firearmSeizures, ports),
  )) {
    firearmSeizures += await prisma.$executeRawUnsafe(
      `INSERT INTO "FirearmSeizure" (id, "recordId", "objectiveId", "seizedOn", country, "stateCode", "portCode",
                                     "firearmType", firearms, "ammunitionRounds", "seizingAgency", "organizationSlug",
                                     "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, d, c, s, p, t::"FirearmType", f, a, g::"SeizingAgency", org,
              $13, 'FINAL', rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
                   $9::int[], $10::text[], $11::text[], $12::text[]) AS x(r, o, d, c, s, p, t, f, a, g, org, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((r) => r.recordId),
      batch.map((r) => r.objectiveId),
      batch.map((r) => r.seizedOn),
      batch.map((r) => r.country),
      batch.map((r) => r.stateCode),
      batch.map((r) => r.portCode),
      batch.map((r) => r.firearmType),
      batch.map((r) => r.firearms),
      batch.map((r) => r.ammunitionRounds),
      batch.map((r) => r.seizingAgency),
      batch.map((r) => r.organizationSlug),
      batch.map((r) => r.releasableTo),
      SYNTHETIC_SOURCE_ID,
    );
    written += batch.length;
    onProgress(written);
  }
  let traffickingCases = 0;
  for (const batch of inBatches(
    BATCH,
    firearmsSynthetic.syntheticTraffickingCases(scale.seed, scale.traffickingCases),
  )) {
    traffickingCases += await prisma.$executeRawUnsafe(
      `INSERT INTO "TraffickingCase" (id, "recordId", "objectiveId", country, office, "openedOn", "chargedOn", "caseStatus",
                                      defendants, "firearmsInvolved", "highLevel", "organizationSlug",
                                      "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, c, off, op, ch, st::"CaseStatus", d, f, h, org,
              $13, 'FINAL', rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::text[], $8::int[],
                   $9::int[], $10::bool[], $11::text[], $12::text[]) AS x(r, o, c, off, op, ch, st, d, f, h, org, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((r) => r.recordId),
      batch.map((r) => r.objectiveId),
      batch.map((r) => r.country),
      batch.map((r) => r.office),
      batch.map((r) => r.openedOn),
      batch.map((r) => r.chargedOn),
      batch.map((r) => r.caseStatus),
      batch.map((r) => r.defendants),
      batch.map((r) => r.firearmsInvolved),
      batch.map((r) => r.highLevel),
      batch.map((r) => r.organizationSlug),
      batch.map((r) => r.releasableTo),
      SYNTHETIC_SOURCE_ID,
    );
    written += batch.length;
    onProgress(written);
  }
  return { firearmSeizures, traffickingCases };
}
