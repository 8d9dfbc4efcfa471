import { sourceProblems, type ReferenceProblem } from '@bicentennial/subgraph-kit';
import { ORGANIZATION_SLUG } from '@bicentennial/seeds';
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';

/** An optional organization slug in an input row (existence is checked against the database). */
export const organizationField = z
  .string()
  .max(60, 'must be at most 60 characters')
  .regex(ORGANIZATION_SLUG, 'must be an organization slug such as CJNG or LOS_CHAPITOS')
  .nullish()
  .transform((v) => v ?? null);

/** Free text of 1 to `max` characters. */
export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Optional free text: empty becomes null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

/**
 * Checks what rows refer to (an organization that exists, a registered source): two queries for
 * the whole batch.
 */
export async function organizationAndSourceProblems(
  tx: Prisma.TransactionClient,
  rows: { organization: string | null; sourceId: string }[],
): Promise<ReferenceProblem[]> {
  const slugs = [...new Set(rows.flatMap((r) => (r.organization ? [r.organization] : [])))];
  const organizations = new Set(
    slugs.length === 0
      ? []
      : (await tx.criminalOrganization.findMany({ where: { slug: { in: slugs } }, select: { slug: true } })).map(
          (o) => o.slug,
        ),
  );
  const organizationProblems = rows.flatMap((row, index) =>
    row.organization && !organizations.has(row.organization)
      ? [
          {
            index,
            field: 'organization',
            message: `criminal organization ${row.organization} does not exist (see criminalOrganizations)`,
          },
        ]
      : [],
  );
  return [...organizationProblems, ...(await sourceProblems(tx, rows))];
}
