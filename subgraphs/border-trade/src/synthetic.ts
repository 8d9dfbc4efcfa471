import * as borderTradeSynthetic from '@bicentennial/seeds/synthetic/borderTrade';
import type { PrismaClient } from './generated/prisma/client';

export const SYNTHETIC_SOURCE_ID = 'synthetic-border-trade';
const BATCH = 5000;

export interface SyntheticScale {
  seed: number;
  drugSeizures: number;
  interdictions: number;
}

/**
 * Loads deterministic synthetic drug seizures and interdictions (labelled with the SYNTHETIC
 * source) in batches of 5,000 rows per statement. Re-running the same scale and seed adds nothing
 * (`recordId` is the natural key). `onProgress` hears the rows written so far.
 */
export async function loadSynthetic(
  prisma: PrismaClient,
  scale: SyntheticScale,
  onProgress: (rows: number) => void = () => undefined,
): Promise<{ drugSeizures: number; interdictions: number }> {
  const source = borderTradeSynthetic.SYNTHETIC_SOURCE;
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
  const ports = (await prisma.portOfEntry.findMany({ select: { code: true, stateCode: true } })).map((p) => ({
    ...p,
    weight: borderTradeSynthetic.PORT_WEIGHTS[p.code] ?? 1,
  }));
  let written = 0;
  let drugSeizures = 0;
  for (const batch of batches(borderTradeSynthetic.syntheticDrugSeizures(scale.seed, scale.drugSeizures, ports))) {
    drugSeizures += await prisma.$executeRawUnsafe(
      `INSERT INTO "DrugSeizure" (id, "recordId", "objectiveId", location, "portCode", "stateCode", "seizedOn", drug, quantity,
                                  unit, "quantityKg", mode, "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, l::"SeizureLocation", p, s, d, g::"Drug", q, u::"QuantityUnit", k, m::"ConveyanceMode",
              $13, 'FINAL', rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::float8[],
                   $9::text[], $10::float8[], $11::text[], $12::text[]) AS x(r, o, l, p, s, d, g, q, u, k, m, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((r) => r.recordId),
      batch.map((r) => r.objectiveId),
      batch.map((r) => r.location),
      batch.map((r) => r.portCode),
      batch.map((r) => r.stateCode),
      batch.map((r) => r.seizedOn),
      batch.map((r) => r.drug),
      batch.map((r) => r.quantity),
      batch.map((r) => r.unit),
      batch.map((r) => r.quantityKg),
      batch.map((r) => r.mode),
      batch.map((r) => r.releasableTo),
      SYNTHETIC_SOURCE_ID,
    );
    written += batch.length;
    onProgress(written);
  }
  let interdictions = 0;
  for (const batch of batches(borderTradeSynthetic.syntheticInterdictions(scale.seed, scale.interdictions, ports))) {
    interdictions += await prisma.$executeRawUnsafe(
      `INSERT INTO "SmugglingInterdiction" (id, "recordId", "objectiveId", kind, "occurredOn", "portCode", "stateCode",
                                            "personsRescued", "suspectsArrested", "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, k::"InterdictionKind", d, p, s, pr, sa, $10, 'FINAL', rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[])
            AS x(r, o, k, d, p, s, pr, sa, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((r) => r.recordId),
      batch.map((r) => r.objectiveId),
      batch.map((r) => r.kind),
      batch.map((r) => r.occurredOn),
      batch.map((r) => r.portCode),
      batch.map((r) => r.stateCode),
      batch.map((r) => r.personsRescued),
      batch.map((r) => r.suspectsArrested),
      batch.map((r) => r.releasableTo),
      SYNTHETIC_SOURCE_ID,
    );
    written += batch.length;
    onProgress(written);
  }
  return { drugSeizures, interdictions };
}

function* batches<T>(rows: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
