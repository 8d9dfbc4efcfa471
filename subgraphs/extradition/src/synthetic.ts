import { inBatches, insertRows } from '@bicentennial/subgraph-kit';
import { organizationSlugs } from '@bicentennial/seeds';
import * as extraditionSynthetic from '@bicentennial/seeds/synthetic/extradition';
import type { PrismaClient } from './generated/prisma/client';
import { extraditionCaseColumns } from './records/cases';

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
    cases += await insertRows(
      prisma,
      'ExtraditionCase',
      extraditionCaseColumns('synthetic'),
      batch.map(({ organizationSlug, ...c }) => ({
        ...c,
        alias: null,
        organization: organizationSlug,
        transferActionId: null,
        notable: false,
        sourceId: SYNTHETIC_SOURCE_ID,
        recordStatus: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  return { cases };
}
