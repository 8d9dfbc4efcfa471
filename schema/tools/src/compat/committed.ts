import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifestConfig, REPOSITORY_ROOT } from '../operations/config';
import { parseManifest, type ManifestOperation } from '../operations/manifest';

/**
 * The persisted operations a new supergraph must keep answering: those of the committed manifest
 * (schema/persisted-operations.json). A missing or unreadable manifest gives none, and says why.
 */
export function committedOperations(): { operations: ManifestOperation[]; note?: string } {
  const { output } = readManifestConfig();
  const path = join(REPOSITORY_ROOT, output);
  if (!existsSync(path)) return { operations: [], note: `${output} does not exist: no persisted operation checked` };
  const parsed = parseManifest(readFileSync(path, 'utf8'));
  if ('error' in parsed)
    return { operations: [], note: `${output} is ${parsed.error}: no persisted operation checked` };
  return { operations: parsed.manifest.operations };
}
