import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { LANGUAGE_HEADER } from '@bicentennial/schema';

/**
 * Identical subgraph fetches in flight share one HTTP request: same URL, same body (the
 * subgraph operation and its variables, representations included), same `authorization` (the
 * internal token, which carries the caller's claims: two callers the subgraph could answer
 * differently never share) and same `accept-language` (the negotiated language, which decides
 * every text asked without `lang`: an English and a Spanish fetch never share, even under one
 * reused token). Only reads: a body whose operation is a mutation is always sent.
 *
 * Each sharer gets its own copy of the answer (status, headers — `Cache-Control` included, so each
 * request's cache policy is restricted as if it had fetched — and body), so nothing downstream can
 * tell a shared fetch from its own.
 */
export function dedupingFetcher(inner: Fetcher, onShared?: () => void): Fetcher {
  const inFlight = new Map<string, Promise<Buffered>>();
  return async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const body = typeof init?.body === 'string' ? init.body : null;
    if (body === null || isMutation(body)) return inner(url, init);
    const key = `${url}\n${header(init, 'authorization') ?? ''}\n${header(init, LANGUAGE_HEADER) ?? ''}\n${body}`;
    const running = inFlight.get(key);
    if (running) {
      onShared?.();
      return (await running).copy();
    }
    const fetching = inner(url, init).then(buffer);
    inFlight.set(key, fetching);
    try {
      return (await fetching).copy();
    } finally {
      inFlight.delete(key);
    }
  };
}

interface Buffered {
  copy(): FetcherResponse;
}

async function buffer(response: FetcherResponse): Promise<Buffered> {
  const text = await response.text();
  const headers = [...(response.headers as unknown as Iterable<[string, string]>)];
  const { status, statusText, url } = response;
  return { copy: () => copyOf(text, headers, status, statusText, url) };
}

function copyOf(text: string, headers: [string, string][], status: number, statusText: string, url: string) {
  const response = new Response(text, { status, statusText, headers });
  // `Response.url` is read-only and empty for a constructed response; the data source reads it only
  // in error messages, which name the subgraph instead.
  Object.defineProperty(response, 'url', { value: url });
  return response as unknown as FetcherResponse;
}

function header(init: FetcherRequestInit | undefined, name: string): string | undefined {
  const headers: unknown = init?.headers;
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string>;
  return record[name] ?? record[Object.keys(record).find((k) => k.toLowerCase() === name) ?? ''];
}

/** Whether a subgraph request's operation is a mutation (the gateway writes `mutation …` or `query …`/`{ … }`). */
function isMutation(body: string): boolean {
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    return typeof query !== 'string' || /^\s*mutation\b/.test(query);
  } catch {
    return true;
  }
}
