/** A row loaded by a foreign key exists (the database enforces it); a null here is a bug. */
export function present<T>(row: T | null, what: string): T {
  if (row === null) throw new Error(`${what} is missing`);
  return row;
}
