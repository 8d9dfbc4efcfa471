import { inBatches, insertRows } from '@bicentennial/subgraph-kit';
import * as publicHealthSynthetic from '@bicentennial/seeds/synthetic/publicHealth';
import type { PrismaClient } from './generated/prisma/client';
import { programmeColumns } from './records/programmes';

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
    programmes += await insertRows(
      prisma,
      'Programme',
      programmeColumns('synthetic'),
      batch.map(({ countryCode, regionCode, ...r }) => ({
        ...r,
        country: countryCode,
        region: regionCode,
        note: null,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  return { programmes };
}
