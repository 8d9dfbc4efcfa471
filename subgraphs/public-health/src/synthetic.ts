import { inBatches } from '@bicentennial/schema';
import * as publicHealthSynthetic from '@bicentennial/seeds/synthetic/publicHealth';
import type { PrismaClient } from './generated/prisma/client';

export const SYNTHETIC_SOURCE_ID = 'synthetic-public-health';
const BATCH = 5000;

export interface SyntheticScale {
  seed: number;
  programmes: number;
}

/**
 * Loads deterministic synthetic programmes (labelled with the SYNTHETIC source) in batches of
 * 5,000 rows per statement. Re-running the same scale and seed adds nothing (`recordId` is the
 * natural key). `onProgress` hears the rows written so far.
 */
export async function loadSynthetic(
  prisma: PrismaClient,
  scale: SyntheticScale,
  onProgress: (rows: number) => void = () => undefined,
): Promise<{ programmes: number }> {
  const source = publicHealthSynthetic.SYNTHETIC_SOURCE;
  await prisma.source.createMany({
    data: [
      {
        id: SYNTHETIC_SOURCE_ID,
        publisher: source.publisher,
        title: 'Synthetic programmes: not real programmes, funding or people reached',
        kind: source.kind,
      },
    ],
    skipDuplicates: true,
  });
  let written = 0;
  let programmes = 0;
  for (const batch of inBatches(BATCH, publicHealthSynthetic.syntheticProgrammes(scale.seed, scale.programmes))) {
    programmes += await prisma.$executeRawUnsafe(
      `INSERT INTO "Programme" (id, "recordId", "objectiveId", name, kind, "countryCode", "regionCode", "startedOn", "endedOn",
                                "fundingUsd", "fundingQualifier", "peopleReached", "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, n, k::"ProgrammeKind", c, g, s, e, f, fq::"ValueQualifier", p, $13, 'FINAL',
              rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[],
                   $9::float8[], $10::text[], $11::int[], $12::text[]) AS x(r, o, n, k, c, g, s, e, f, fq, p, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((r) => r.recordId),
      batch.map((r) => r.objectiveId),
      batch.map((r) => r.name),
      batch.map((r) => r.kind),
      batch.map((r) => r.countryCode),
      batch.map((r) => r.regionCode),
      batch.map((r) => r.startedOn),
      batch.map((r) => r.endedOn),
      batch.map((r) => r.fundingUsd),
      batch.map((r) => r.fundingQualifier),
      batch.map((r) => r.peopleReached),
      batch.map((r) => r.releasableTo),
      SYNTHETIC_SOURCE_ID,
    );
    written += batch.length;
    onProgress(written);
  }
  return { programmes };
}
