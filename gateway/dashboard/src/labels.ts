import dictionary from './labels.json';

/**
 * The page's two languages. Every label of the page comes from labels.json, one dictionary with
 * both languages (the gateway reads the same file for the page's title before the script runs);
 * the graph's own texts (titles, names, units) come in the language the operation asks for.
 */
export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];

export type Labels = typeof dictionary.en;
export type LabelKey = keyof Labels;

// Spanish must have every key English has: the assignment fails to type-check otherwise.
const DICTIONARY: Record<Lang, Labels> = dictionary;

/** The locale numbers and dates are written in. */
export const LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-MX' };

/** The graph's `Language` enum value for a page language. */
export const GRAPH_LANGUAGE: Record<Lang, 'EN' | 'ES'> = { en: 'EN', es: 'ES' };

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'es';
}

/** The other language: the one the switch offers. */
export const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'es' : 'en');

/** A label with its `{placeholders}` filled in. */
export function label(lang: Lang, key: LabelKey, values: Record<string, string | number> = {}): string {
  return DICTIONARY[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Whether the dictionary has a label for `key` (enum values the graph may add later). */
export function hasLabel(key: string): key is LabelKey {
  return key in DICTIONARY.en;
}

/** The `_one`/`_other` form of a counted label, by the language's plural rules. */
export function counted(
  lang: Lang,
  key: 'indicators' | 'withData' | 'chartSummary',
  count: number,
  values: Record<string, string | number> = {},
): { key: LabelKey; text: string } {
  const form = new Intl.PluralRules(LOCALE[lang]).select(count) === 'one' ? 'one' : 'other';
  const full: LabelKey = `${key}_${form}`;
  return { key: full, text: label(lang, full, { count, ...values }) };
}
