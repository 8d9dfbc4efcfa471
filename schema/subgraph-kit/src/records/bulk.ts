import type { RawSql } from './idempotency';

/**
 * One column of a bulk insert: its name, its PostgreSQL type (enums by their quoted name; arrays
 * as `text[]` or `"Enum"[]`), its value.
 */
export interface Column<Row> {
  name: string;
  type: string;
  value: (row: Row) => unknown;
}

const quoted = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return `"${name}"`;
};

/** The separator of a natural key's columns in the key string (`observationKey`, `homicideKey`). */
export const KEY_SEPARATOR = '|';

function insertStatement<Row>(
  table: string,
  columns: Column<Row>[],
  rows: Row[],
  returning: string,
): [string, unknown[]] {
  // Enum values do not bind as arrays, and unnest flattens an array of arrays into scalars: enum
  // columns travel as text and are cast back per row, array columns as one JSON text per row.
  const isArray = (type: string) => type.endsWith('[]');
  const wireType = (type: string) => (isArray(type) ? 'text' : type.startsWith('"') ? 'text' : type);
  const selected = columns.map((c, i) => {
    if (isArray(c.type)) {
      return `CASE WHEN c${i} IS NULL THEN NULL ELSE ARRAY(SELECT json_array_elements_text(c${i}::json))::${c.type} END`;
    }
    return c.type.startsWith('"') ? `c${i}::${c.type}` : `c${i}`;
  });
  const generatedId = columns.some((c) => c.name === 'id') ? [] : ['gen_random_uuid()'];
  const names = [...(generatedId.length > 0 ? ['id'] : []), ...columns.map((c) => quoted(c.name))].join(', ');
  const unnest = columns.map((c, i) => `$${i + 1}::${wireType(c.type)}[]`).join(', ');
  const aliases = columns.map((_c, i) => `c${i}`).join(', ');
  const values = columns.map((c) =>
    rows.map((row) => {
      const value = c.value(row);
      return isArray(c.type) && value !== null && value !== undefined ? JSON.stringify(value) : value;
    }),
  );
  return [
    `INSERT INTO ${quoted(table)} (${names})
     SELECT ${[...generatedId, ...selected].join(', ')} FROM unnest(${unnest}) AS x(${aliases})
     ON CONFLICT DO NOTHING${returning}`,
    values,
  ];
}

/**
 * Inserts rows with one statement and one array parameter per column (`unnest`), skipping rows
 * that meet a unique index (`ON CONFLICT DO NOTHING`); the id is generated unless a column gives
 * it, recordedAt defaults to now. Several times faster than a multi-row VALUES list with a
 * parameter per cell, above all on the embedded database. Returns how many rows were inserted.
 * For loaders only: a write an agency submits goes through `insertNewRows`, which tells which
 * rows were skipped.
 */
export async function insertRows<Row>(
  sql: RawSql,
  table: string,
  columns: Column<Row>[],
  rows: Row[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const [statement, values] = insertStatement(table, columns, rows, '');
  return sql.$executeRawUnsafe(statement, ...values);
}

/**
 * `insertRows` that returns the natural keys of the rows it actually inserted: each the values of
 * `keyColumns` joined by `KEY_SEPARATOR`. A row left out met a unique index: under READ
 * COMMITTED, a row another transaction committed (or was about to commit: `ON CONFLICT` waits for
 * it) after this one looked. The caller must find out what that row holds; see `writeFresh`.
 */
export async function insertNewRows<Row>(
  sql: RawSql,
  table: string,
  columns: Column<Row>[],
  rows: Row[],
  keyColumns: readonly string[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  if (keyColumns.length === 0) throw new Error(`no key columns for ${table}`);
  const key = `concat_ws('${KEY_SEPARATOR}', ${keyColumns.map(quoted).join(', ')})`;
  const [statement, values] = insertStatement(table, columns, rows, ` RETURNING ${key} AS key`);
  const inserted = await sql.$queryRawUnsafe<{ key: string }[]>(statement, ...values);
  return new Set(inserted.map((r) => r.key));
}
