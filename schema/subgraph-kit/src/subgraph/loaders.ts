import DataLoader from 'dataloader';

/**
 * A per-request loader of rows by their key: one query for every key asked in the same tick,
 * results in the order of the keys, `null` for a key with no row (not an error: the caller
 * decides whether a missing row is `null` in the graph or a NOT_FOUND error).
 */
export function loaderByKey<K, V>(
  fetch: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(uniq(keys));
    const byKey = new Map<K, V>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/**
 * A per-request loader of child lists by their parent's key: one query for the children of
 * every parent asked in the same tick, each list in the order the query returned them.
 */
export function loaderByGroup<K, V>(
  fetch: (keys: readonly K[]) => Promise<readonly V[]>,
  groupOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(uniq(keys));
    const groups = new Map<K, V[]>();
    for (const row of rows) {
      const key = groupOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

function uniq<K>(keys: readonly K[]): K[] {
  return [...new Set(keys)];
}
