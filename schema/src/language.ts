import Negotiator from 'negotiator';

/** The languages the graph's text is in: the values of the SDL's `Language` enum. */
export const LANGUAGES = ['EN', 'ES'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language of a text whose request asks for none. */
export const DEFAULT_LANGUAGE: Language = 'EN';

/**
 * The header a request's language travels in: from the client to the gateway (whatever the
 * client sends), and from the gateway to every subgraph it fetches from (the negotiated language
 * only, `en` or `es`: `languageTag`).
 */
export const LANGUAGE_HEADER = 'accept-language';

const TAGS: Readonly<Record<Language, string>> = { EN: 'en', ES: 'es' };

/** The `Accept-Language` the gateway forwards for a negotiated language: `en` or `es`. */
export const languageTag = (language: Language): string => TAGS[language];

/**
 * The language an `Accept-Language` header asks for, of the graph's two, as `negotiator` (what
 * Express's `req.acceptsLanguages` uses) picks it: ES when the header prefers Spanish (`es`, or
 * a regional variant such as `es-MX`) over English, by q-values, and on a tie by the more
 * specific match, then by the header's order; EN otherwise, and when the header is absent, empty,
 * names neither, or cannot be read.
 */
export function negotiateLanguage(acceptLanguage: string | null | undefined): Language {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const preferred = new Negotiator({ headers: { [LANGUAGE_HEADER]: acceptLanguage } }).language([TAGS.EN, TAGS.ES]);
  return preferred === TAGS.ES ? 'ES' : DEFAULT_LANGUAGE;
}
