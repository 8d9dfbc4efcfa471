import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import StreamArray from 'stream-json/streamers/StreamArray';

export interface FileRow {
  /** Where the row is, for reports: `line 12` (CSV) or `item 7` (JSON array, from 1). */
  where: string;
  /** The line (CSV) or item (JSON) number alone. */
  position: number;
  row: Record<string, unknown>;
}

/**
 * The rows of a CSV file (a header line of field names) or of a JSON file (an array of objects),
 * read as a stream: one row in memory at a time, whatever the size of the file.
 */
export async function* readRows(path: string): AsyncGenerator<FileRow> {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') {
    const parser = createReadStream(path).pipe(
      parse({ columns: true, info: true, skip_empty_lines: true, bom: true, relax_column_count: false }),
    );
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { where: `line ${record.info.lines}`, position: record.info.lines, row: record.record };
    }
    return;
  }
  if (extension === '.json') {
    const items = createReadStream(path).pipe(StreamArray.withParser());
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      const value = item.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`item ${item.key + 1} of ${path} is not an object`);
      }
      yield { where: `item ${item.key + 1}`, position: item.key + 1, row: value as Record<string, unknown> };
    }
    return;
  }
  throw new Error(`${path}: only .csv and .json files can be ingested`);
}
