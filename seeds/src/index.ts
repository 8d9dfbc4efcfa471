import { join } from 'node:path';

export { ORGANIZATION_SLUG, ORGANIZATIONS_FILE, organizationSlugs } from './organizations';

/** Absolute path of a subgraph's seed folder, e.g. `seedDir('firearms')`. */
export function seedDir(subgraph: string): string {
  return join(__dirname, '..', subgraph);
}
