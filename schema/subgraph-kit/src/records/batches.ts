/** Groups rows into batches of `size`, lazily (a generator of a million rows stays a generator). */
export function* inBatches<T>(size: number, rows: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
