import { inBatches, insertRows } from '@bicentennial/subgraph-kit';
import { assetSeizureColumns } from './records/assetSeizures';
import { designationColumns } from './records/designations';
import * as financeSynthetic from '@bicentennial/seeds/synthetic/finance';
import type { PrismaClient } from './generated/prisma/client';

export const SYNTHETIC_SOURCE_ID = 'synthetic-finance';
const BATCH = 5000;

export interface SyntheticScale {
  seed: number;
  assetSeizures: number;
  /** Synthetic designations, for load tests; the default seed holds none. */
  designations: number;
}

/**
 * Loads deterministic synthetic asset seizures and designations (labelled with the SYNTHETIC
 * source) in batches of 5,000 rows per statement, attributed to the organizations already stored.
 * Re-running the same scale and seed adds nothing (`recordId` is the natural key). `onProgress`
 * hears the rows written so far.
 */
export async function loadSynthetic(
  prisma: PrismaClient,
  scale: SyntheticScale,
  onProgress: (rows: number) => void = () => undefined,
): Promise<{ assetSeizures: number; designations: number }> {
  const source = financeSynthetic.SYNTHETIC_SOURCE;
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
  const organizations = (await prisma.criminalOrganization.findMany({ select: { slug: true } })).map((o) => ({
    slug: o.slug,
    weight: financeSynthetic.ORGANIZATION_WEIGHTS[o.slug] ?? 1,
  }));
  let written = 0;
  let assetSeizures = 0;
  for (const batch of inBatches(
    BATCH,
    financeSynthetic.syntheticAssetSeizures(scale.seed, scale.assetSeizures, organizations),
  )) {
    assetSeizures += await insertRows(
      prisma,
      'AssetSeizure',
      assetSeizureColumns('synthetic'),
      batch.map(({ countryCode, organizationSlug, ...r }) => ({
        ...r,
        country: countryCode,
        organization: organizationSlug,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  let designations = 0;
  for (const batch of inBatches(
    BATCH,
    financeSynthetic.syntheticDesignations(scale.seed, scale.designations, organizations),
  )) {
    designations += await insertRows(
      prisma,
      'SanctionsDesignation',
      designationColumns('synthetic'),
      batch.map(({ organizationSlug, ...r }) => ({
        ...r,
        datePrecision: 'DAY' as const,
        countryCount: null,
        namedTargets: [],
        organization: organizationSlug,
        note: null,
        sourceId: SYNTHETIC_SOURCE_ID,
        status: 'FINAL' as const,
      })),
    );
    written += batch.length;
    onProgress(written);
  }
  return { assetSeizures, designations };
}
