/**
 * The median of some numbers (the mean of the middle two for an even count); undefined for none.
 * Rounds are summarised by their median: one round disturbed by another process on the machine
 * moves it less than it moves the mean.
 */
export function median(values: readonly number[]): number | undefined {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

/**
 * The `p`th percentile of numbers sorted ascending, by the nearest-rank method (the smallest value
 * with at least p % of the values at or below it: the 99th of 100 latencies is the 99th); undefined
 * for none.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The smallest and largest of some numbers; undefined for none. */
export function range(values: readonly number[]): { min: number; max: number } | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  return { min: Math.min(...finite), max: Math.max(...finite) };
}

/** `a / b`, or undefined when either is missing or `b` is not above zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return undefined;
  return a / b;
}

/**
 * Where two JSON values first differ, as a path (`data.goals[2].areas[0].id`: 7 ≠ 8), or
 * undefined when they are equal. Objects compare by their keys whatever their order (JSON
 * does not order them); arrays element by element.
 */
export function firstDifference(a: unknown, b: unknown, path = 'data'): string | undefined {
  if (Object.is(a, b)) return undefined;
  const describe = (value: unknown) => {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (found) return found;
    }
    return a.length === b.length ? undefined : `${path}: ${a.length} items ≠ ${b.length} items`;
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      if (!(key in a)) return `${path}.${key}: missing ≠ ${describe(b[key])}`;
      if (!(key in b)) return `${path}.${key}: ${describe(a[key])} ≠ missing`;
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return `${path}: ${describe(a)} ≠ ${describe(b)}`;
}
