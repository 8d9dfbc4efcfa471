import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { DEFAULT_LANGUAGE, LANGUAGE_HEADER, negotiateLanguage, type Language } from '@bicentennial/schema';

/** Where a request's language is kept on its context (a symbol: no subgraph's own field can clash). */
const REQUEST_LANGUAGE = Symbol('requestLanguage');

type WithLanguage = { [REQUEST_LANGUAGE]?: Language };

/**
 * Reads the language of each request into its context: the `Accept-Language` the gateway sends
 * (the language it negotiated with the client, `en` or `es`), else EN. Every answer says that it
 * depends on that header (`Vary: Accept-Language`). `createSubgraphServer` installs it.
 */
export function requestLanguagePlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: ({ request, contextValue }) => {
      (contextValue as WithLanguage)[REQUEST_LANGUAGE] = negotiateLanguage(request.http?.headers.get(LANGUAGE_HEADER));
      return Promise.resolve({
        willSendResponse: ({ response }) => {
          response.http.headers.set('vary', 'Accept-Language');
          return Promise.resolve();
        },
      });
    },
  };
}

/** The language of the request a resolver's context belongs to (EN outside a request). */
export function requestLanguage(context: object): Language {
  return (context as WithLanguage)[REQUEST_LANGUAGE] ?? DEFAULT_LANGUAGE;
}

/**
 * A text in the language a field asks for: its `lang` argument when given (an explicit `lang`
 * always wins), else the request's language (`requestLanguage`).
 */
export function inLanguage(
  lang: Language | null | undefined,
  context: object,
  texts: { en: string; es: string },
): string {
  return (lang ?? requestLanguage(context)) === 'ES' ? texts.es : texts.en;
}
