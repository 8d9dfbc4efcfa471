import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDir } from '@bicentennial/seeds';
import { z } from 'zod';

/** A criminal organization's slug: the key of `CriminalOrganization` in every subgraph. */
export const ORGANIZATION_SLUG = /^[A-Z0-9_]+$/;

/**
 * The organizations the graph names: the finance subgraph owns them and publishes their slugs in
 * its seed folder (seeds/finance/organizations.json). Extradition cannot ask finance's database,
 * so it checks against that list; only its `slug`s are read here.
 */
export const ORGANIZATIONS_FILE = join(seedDir('finance'), 'organizations.json');

const organizationsFile = z.object({ organizations: z.array(z.object({ slug: z.string().regex(ORGANIZATION_SLUG) })) });

let known: ReadonlySet<string> | null | undefined;

/**
 * The known organization slugs, read once per process; null when the list does not exist (then
 * only the slug's format is checked).
 */
export function knownOrganizations(): ReadonlySet<string> | null {
  if (known === undefined) {
    known = existsSync(ORGANIZATIONS_FILE)
      ? new Set(
          organizationsFile
            .parse(JSON.parse(readFileSync(ORGANIZATIONS_FILE, 'utf8')))
            .organizations.map((o) => o.slug),
        )
      : null;
  }
  return known;
}
