import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR } from '@bicentennial/schema';
import { z } from 'zod';

/** The repository's root: every path of the config is relative to it. */
export const REPOSITORY_ROOT = join(SCHEMA_DIR, '..');

/**
 * Where the persisted operations come from and where their manifest goes, in the shape of
 * `@apollo/generate-persisted-query-manifest`'s config (`documents`: globs, `!` excludes;
 * `output`), so that the file reads the same to anyone who knows that tool.
 */
export const MANIFEST_CONFIG_PATH = join(__dirname, 'persisted-query-manifest.config.json');

const configSchema = z.strictObject({
  documents: z.array(z.string().min(1)).min(1),
  output: z.string().regex(/\.json$/, 'the manifest is a .json file'),
});

export interface ManifestConfig {
  /** Globs relative to the repository root: `.graphql`/`.gql` files, or code whose `#graphql` strings are read. */
  documents: string[];
  /** The manifest, relative to the repository root. */
  output: string;
}

export function readManifestConfig(path: string = MANIFEST_CONFIG_PATH): ManifestConfig {
  return configSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
