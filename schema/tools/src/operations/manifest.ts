import { z } from 'zod';
import { operationId, type SourceOperation } from './collect';

const operationSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256, hex'),
  name: z.string().min(1),
  type: z.enum(['query', 'mutation', 'subscription']),
  body: z.string().min(1),
});

/** Apollo's persisted query manifest, version 1: what GraphOS, the router and Apollo's tools read. */
const manifestSchema = z.strictObject({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(operationSchema),
});

export type PersistedQueryManifest = z.infer<typeof manifestSchema>;
export type ManifestOperation = z.infer<typeof operationSchema>;

/** The manifest of these operations, in name order. */
export function manifestOf(operations: readonly SourceOperation[]): PersistedQueryManifest {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [...operations]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ id, name, type, body }) => ({ id, name, type, body })),
  };
}

/** The manifest file's text, exactly as `npm run operations` writes it. */
export const manifestText = (manifest: PersistedQueryManifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** A manifest file's text read back; a file that is not one gives the reason instead. */
export function parseManifest(text: string): { manifest: PersistedQueryManifest } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    return {
      error: `not an apollo-persisted-query-manifest, version 1: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')}`,
    };
  }
  return { manifest: parsed.data };
}

/**
 * How a committed manifest differs from the operations the documents hold now, one line per
 * operation, each naming the operation and the file it is written in (or the manifest, for an
 * operation no document holds any longer). Empty when the manifest is what they give.
 */
export function manifestDrift(
  committed: PersistedQueryManifest,
  operations: readonly SourceOperation[],
  manifestPath: string,
): string[] {
  const drift: string[] = [];
  const inManifest = new Map<string, ManifestOperation>();
  for (const entry of committed.operations) {
    if (inManifest.has(entry.name)) drift.push(`${manifestPath}: operation ${entry.name} is listed twice`);
    inManifest.set(entry.name, entry);
    if (entry.id !== operationId(entry.body)) {
      drift.push(`${manifestPath}: operation ${entry.name} has id ${entry.id}, not the sha256 of its body`);
    }
  }
  const inSources = new Set(operations.map((o) => o.name));
  for (const operation of operations) {
    const entry = inManifest.get(operation.name);
    if (!entry) drift.push(`${operation.location}: operation ${operation.name} is not in ${manifestPath}`);
    else if (entry.body !== operation.body || entry.type !== operation.type) {
      drift.push(`${operation.location}: operation ${operation.name} differs from its entry in ${manifestPath}`);
    }
  }
  for (const entry of committed.operations) {
    if (!inSources.has(entry.name)) {
      drift.push(`${manifestPath}: operation ${entry.name} is in no operation document any longer`);
    }
  }
  return drift;
}
