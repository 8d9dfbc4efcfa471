import { inBatches, insertRows } from '@bicentennial/schema';
import { assetSeizureColumns } from './records/assetSeizures';
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
    // unnest flattens a two-dimensional array, so each row's authorities travel as one comma-separated string.
    designations += await prisma.$executeRawUnsafe(
      `INSERT INTO "SanctionsDesignation" (id, "recordId", "objectiveId", "designatedOn", "datePrecision", "designatedBy",
                                           authorities, "targetKind", individuals, entities, "namedTargets",
                                           "organizationSlug", "sourceId", status, "releasableTo", "recordedBy")
       SELECT gen_random_uuid(), r, o, d, 'DAY', b, string_to_array(a, ','), t::"TargetKind", i, e,
              '{}'::text[], org, $10, 'FINAL', rel::"Releasability", 'synthetic'
       FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[],
                   $9::text[], $11::text[]) AS x(r, o, d, b, a, t, i, e, org, rel)
       ON CONFLICT ("recordId") DO NOTHING`,
      batch.map((r) => r.recordId),
      batch.map((r) => r.objectiveId),
      batch.map((r) => r.designatedOn),
      batch.map((r) => r.designatedBy),
      batch.map((r) => r.authorities.join(',')),
      batch.map((r) => r.targetKind),
      batch.map((r) => r.individuals),
      batch.map((r) => r.entities),
      batch.map((r) => r.organizationSlug),
      SYNTHETIC_SOURCE_ID,
      batch.map((r) => r.releasableTo),
    );
    written += batch.length;
    onProgress(written);
  }
  return { assetSeizures, designations };
}
