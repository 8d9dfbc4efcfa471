import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A criminal organization's slug, the key of `CriminalOrganization` in every subgraph: upper-case
 * letters and digits in words joined by `_` (`CJNG`, `MS_13`, `LOS_CHAPITOS`).
 */
export const ORGANIZATION_SLUG = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;

/**
 * The catalogue of the criminal organizations the graph names. Finance owns it (and loads all of
 * it); the other subgraphs cannot ask finance's database, so they check slugs against this file.
 */
export const ORGANIZATIONS_FILE = join(__dirname, '..', 'finance', 'organizations.json');

let slugs: ReadonlySet<string> | undefined;

/**
 * The slugs of the catalogue's organizations, read once per process. Only `slug` is read, so
 * finance can add fields freely; a slug that is not an {@link ORGANIZATION_SLUG} throws.
 */
export function organizationSlugs(): ReadonlySet<string> {
  if (slugs === undefined) {
    const { organizations } = JSON.parse(readFileSync(ORGANIZATIONS_FILE, 'utf8')) as {
      organizations: { slug: unknown }[];
    };
    slugs = new Set(
      organizations.map(({ slug }) => {
        if (typeof slug !== 'string' || !ORGANIZATION_SLUG.test(slug))
          throw new Error(`${ORGANIZATIONS_FILE}: ${JSON.stringify(slug)} is not an organization slug`);
        return slug;
      }),
    );
  }
  return slugs;
}
