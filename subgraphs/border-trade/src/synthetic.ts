import { inBatches, insertRows } from '@bicentennial/subgraph-kit';
import { drugSeizureColumns } from './records/drugSeizures';
import { interdictionColumns } from './records/interdictions';
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
  for (const batch of inBatches(
    BATCH,
    borderTradeSynthetic.syntheticDrugSeizures(scale.seed, scale.drugSeizures, ports),
  )) {
    drugSeizures += await insertRows(
      prisma,
      'DrugSeizure',
      drugSeizureColumns('synthetic'),
      batch.map(({ stateCode, ...r }) => ({
        ...r,
        state: stateCode,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  let interdictions = 0;
  for (const batch of inBatches(
    BATCH,
    borderTradeSynthetic.syntheticInterdictions(scale.seed, scale.interdictions, ports),
  )) {
    interdictions += await insertRows(
      prisma,
      'SmugglingInterdiction',
      interdictionColumns('synthetic'),
      batch.map(({ stateCode, ...r }) => ({
        ...r,
        state: stateCode,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  return { drugSeizures, interdictions };
}
