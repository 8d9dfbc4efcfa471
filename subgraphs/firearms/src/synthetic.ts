import { inBatches, insertRows } from '@bicentennial/subgraph-kit';
import * as firearmsSynthetic from '@bicentennial/seeds/synthetic/firearms';
import type { PrismaClient } from './generated/prisma/client';
import { firearmSeizureColumns } from './records/firearmSeizures';
import { landPorts } from './records/references';
import { traffickingCaseColumns } from './records/traffickingCases';

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
    firearmSeizures += await insertRows(
      prisma,
      'FirearmSeizure',
      firearmSeizureColumns('synthetic'),
      batch.map(({ stateCode, organizationSlug, ...r }) => ({
        ...r,
        state: stateCode,
        organization: organizationSlug,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  let traffickingCases = 0;
  for (const batch of inBatches(
    BATCH,
    firearmsSynthetic.syntheticTraffickingCases(scale.seed, scale.traffickingCases),
  )) {
    traffickingCases += await insertRows(
      prisma,
      'TraffickingCase',
      traffickingCaseColumns('synthetic'),
      batch.map(({ organizationSlug, ...r }) => ({
        ...r,
        closedOn: null,
        organization: organizationSlug,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  return { firearmSeizures, traffickingCases };
}
