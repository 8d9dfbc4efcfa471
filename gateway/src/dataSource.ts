import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ANONYMOUS, LANGUAGE_HEADER, languageTag, negotiateLanguage, type Caller } from '@bicentennial/schema';
import type { InternalSigner } from '@bicentennial/service';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { ErrorCode } from '@bicentennial/schema';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { fetch, type Dispatcher } from 'undici';
import {
  fetchKind,
  subgraphGuard,
  SubgraphCircuitOpenError,
  SubgraphGuard,
  type FetchRecord,
  type ResilienceSettings,
} from './resilience';
import { describeNetworkError, type SubgraphStatusMonitor } from './status';

/**
 * Subgraph fetches over one keep-alive connection pool (undici), bounded by a timeout: the
 * signal a data source gives each attempt, else `timeoutMs`.
 */
export function keepAliveFetcher(dispatcher: Dispatcher, timeoutMs: number): Fetcher {
  return (url, init) =>
    fetch(url, {
      method: init?.method ?? 'POST',
      headers: init?.headers ?? {},
      body: init?.body ?? null,
      dispatcher,
      signal: (init?.signal as AbortSignal | undefined) ?? AbortSignal.timeout(timeoutMs),
    });
}

/**
 * The gateway's connection to one subgraph. A failure to reach it becomes one clean error
 * naming the subgraph (code SUBGRAPH_UNAVAILABLE), not a transport message with its address; the
 * rest of the query still resolves. Every outcome updates the subgraph's status.
 *
 * Each fetch goes through the subgraph's guard (resilience.ts): a read (`query` fetch) that fails
 * in passing is retried within a budget and the deadline; a run of failures opens the subgraph's
 * circuit, and its fetches then fail at once until a probe gets through.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  private readonly guard: SubgraphGuard;

  constructor(
    private readonly subgraphName: string,
    url: string,
    fetcher: Fetcher,
    private readonly monitor: SubgraphStatusMonitor,
    private readonly logger: Logger,
    /** The whole fetch's deadline, retries included (SUBGRAPH_TIMEOUT_MS). */
    private readonly timeoutMs: number,
    private readonly signer: InternalSigner,
    resilience: ResilienceSettings,
  ) {
    super({ url, fetcher });
    this.guard = subgraphGuard(
      monitor,
      subgraphName,
      url,
      () =>
        new SubgraphGuard(subgraphName, url, resilience, timeoutMs, logger, (state) => {
          monitor.recordCircuit(subgraphName, state);
          resilience.onBreakerStateChange?.(subgraphName, state);
        }),
    );
  }

  /**
   * Every subgraph request carries a short-lived internal token for this subgraph with the
   * caller's verified claims (or anonymous); the client's own Authorization never goes further.
   * It also carries the language negotiated from the client's `Accept-Language` (`en` or `es`,
   * never the client's own header), which the subgraph gives the text fields asked without `lang`.
   */
  override async willSendRequest(options: Parameters<RemoteGraphQLDataSource['willSendRequest'] & object>[0]) {
    const context = options.context as { caller?: Caller; fetched?: Set<string> } | undefined;
    const caller = context?.caller ?? ANONYMOUS;
    // What the response cache records an answer's data versions of (and a write invalidates).
    context?.fetched?.add(this.subgraphName);
    const headers = options.request.http?.headers;
    headers?.set('authorization', `Bearer ${await this.signer.sign(caller, this.subgraphName)}`);
    // Health checks and schema loads have no incoming request: EN, as for a client that names no language.
    const incoming = 'incomingRequestContext' in options ? options.incomingRequestContext.request.http : undefined;
    headers?.set(LANGUAGE_HEADER, languageTag(negotiateLanguage(incoming?.headers.get(LANGUAGE_HEADER))));
  }

  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    // The fetch's own parsed document comes with an incoming operation's fetches (when the planner exposes it).
    const kind = fetchKind(options.request.query, 'document' in options ? options.document : undefined);
    const record: FetchRecord = { attempts: 0, attemptTimeoutMs: this.timeoutMs };
    // Apollo's process() calls `this.fetcher(url, init)` knowing nothing of the fetch and with no
    // signal. A view of this data source whose fetcher is bound to this one fetch carries its
    // kind, deadline and record, and leaves the instance that concurrent fetches share untouched.
    const view = Object.create(this) as this;
    view.fetcher = (url, init) => this.guard.fetch(kind, (signal) => this.attempt(url, init, signal), record);
    try {
      const response = await super.process.call(view, options);
      this.monitor.recordSuccess(this.subgraphName);
      return response;
    } catch (error) {
      if (error instanceof SubgraphCircuitOpenError) {
        // Nothing was sent, so the status keeps the failure that opened the circuit; and one log
        // line per refused fetch would flood the log of a busy gateway.
        this.logger.debug({ subgraph: this.subgraphName }, 'subgraph fetch refused: circuit open');
        const probe =
          error.probeInMs > 0 ? `next probe in ${Math.ceil(error.probeInMs / 1000)} s` : 'a probe is under way';
        throw new GraphQLError(
          `The ${this.subgraphName} subgraph is unavailable (circuit open after repeated failures: not called; ${probe}); the fields it provides are null.`,
          { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraphName } },
        );
      }
      const response = (error as { extensions?: { response?: { status?: unknown; body?: unknown } } }).extensions
        ?.response;
      const httpStatus = response?.status;
      const answered = response?.body as { errors?: unknown } | undefined;
      // A 4xx answer with GraphQL errors is the subgraph refusing this request (a variable its
      // scalar rejects, say), not an outage: its errors, already safe and coded, go to the client.
      if (typeof httpStatus === 'number' && httpStatus < 500 && Array.isArray(answered?.errors)) {
        this.monitor.recordSuccess(this.subgraphName);
        return { errors: answered.errors as GatewayGraphQLResponse['errors'] };
      }
      const cause =
        typeof httpStatus === 'number' ? `HTTP ${httpStatus}` : describeNetworkError(error, record.attemptTimeoutMs);
      const reason = record.attempts > 1 ? `${cause}, after ${record.attempts} attempts` : cause;
      this.monitor.recordFailure(this.subgraphName, reason);
      this.logger.warn({ subgraph: this.subgraphName, reason, attempts: record.attempts }, 'subgraph request failed');
      this.logger.debug({ subgraph: this.subgraphName, err: error }, 'subgraph request failure detail');
      throw new GraphQLError(
        `The ${this.subgraphName} subgraph is unavailable (${reason}); the fields it provides are null.`,
        { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraphName } },
      );
    }
  }

  /**
   * One attempt, its body read whole inside it: a connection that breaks mid-answer is a failed
   * attempt (retried, counted by the breaker) rather than an error after the guard has let go.
   */
  private async attempt(
    url: string,
    init: FetcherRequestInit | undefined,
    signal: AbortSignal,
  ): Promise<FetcherResponse> {
    const response = await this.fetcher(url, { ...init, signal });
    return new BufferedResponse(response, await response.text());
  }
}

/**
 * A subgraph's answer whose body was read whole: what Apollo's data source reads (status,
 * headers, `json()` or `text()`), without building a second WHATWG Response and its stream
 * (measured at 15–30 µs a fetch on this machine).
 */
class BufferedResponse implements FetcherResponse {
  readonly url: string;
  readonly redirected: boolean;
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: FetcherHeaders;
  bodyUsed = false;

  constructor(
    answer: FetcherResponse,
    private readonly body: string,
  ) {
    this.url = answer.url;
    this.redirected = answer.redirected;
    this.status = answer.status;
    this.ok = answer.ok;
    this.statusText = answer.statusText;
    this.headers = answer.headers;
  }

  text(): Promise<string> {
    this.bodyUsed = true;
    return Promise.resolve(this.body);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = new TextEncoder().encode(await this.text());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this, this.body);
  }
}
