import { GRAPH_LANGUAGE, type Lang } from './labels';

/** The persisted operations of operations/*.graphql, by name: the build puts them in (build.ts). */
export interface PersistedOperation {
  /** The SHA-256 of `body`: its id in schema/persisted-operations.json. */
  id: string;
  /** The operation and its fragments, printed as the manifest holds it. */
  body: string;
}
declare const DASHBOARD_OPERATIONS: Record<string, PersistedOperation>;

export interface GraphError {
  message: string;
  extensions?: { code?: string; serviceName?: string };
}

export interface GraphAnswer<T> {
  data?: T | null;
  errors?: GraphError[];
}

export class GraphUnavailable extends Error {
  override readonly name = 'GraphUnavailable';
}

/**
 * Runs one of the dashboard's persisted operations by its id, as a GET (a query the gateway's
 * response cache and the browser's HTTP cache can both serve): `extensions.persistedQuery`
 * alone, which the safelist of a production gateway answers from its manifest. A gateway
 * without the safelist answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, once: the page
 * then sends the body with its hash (Apollo's APQ protocol), which registers it. The page's
 * language goes as the operation's `lang` and as `Accept-Language`, so that the two languages are
 * the only two cache entries whatever the browser prefers.
 */
export async function runPersisted<T>(
  endpoint: URL,
  name: string,
  lang: Lang,
  variables: Record<string, unknown> = {},
): Promise<GraphAnswer<T>> {
  const operation = DASHBOARD_OPERATIONS[name];
  if (!operation) throw new Error(`no persisted operation ${name} in this build`);
  const search = new URLSearchParams({
    operationName: name,
    variables: JSON.stringify({ lang: GRAPH_LANGUAGE[lang], ...variables }),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: operation.id } }),
  });
  const get = async (): Promise<GraphAnswer<T>> => {
    const url = new URL(endpoint);
    url.search = search.toString();
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/graphql-response+json, application/json;q=0.9',
          'accept-language': lang,
          // Apollo Server's CSRF prevention runs a GET only with a header a plain link cannot send.
          'apollo-require-preflight': 'true',
        },
        credentials: 'omit',
      });
    } catch (error) {
      throw new GraphUnavailable(error instanceof Error ? error.message : String(error));
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) throw new GraphUnavailable(`HTTP ${response.status}`);
    const answer = (await response.json()) as GraphAnswer<T>;
    if (!response.ok && !answer.data) {
      throw new GraphUnavailable(answer.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`);
    }
    return answer;
  };
  const answer = await get();
  if (answer.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
    search.set('query', operation.body);
    return get();
  }
  return answer;
}
