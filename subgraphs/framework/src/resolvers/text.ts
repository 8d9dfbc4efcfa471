import type { Language } from '../generated/graphql';

/** The English or Spanish text of a field, as the `lang` argument asks. */
export const inLanguage = (lang: Language, en: string, es: string): string => (lang === 'ES' ? es : en);

/** A row loaded by a foreign key exists (the database enforces it); a null here is a bug. */
export function present<T>(row: T | null, what: string): T {
  if (row === null) throw new Error(`${what} is missing`);
  return row;
}
