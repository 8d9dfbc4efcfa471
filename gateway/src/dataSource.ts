import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import type { InternalSigner } from '@bicentennial/service';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ErrorCode } from '@bicentennial/schema';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { fetch, type Dispatcher } from 'undici';
import { describeNetworkError, type SubgraphStatusMonitor } from './status';

/** Subgraph fetches over one keep-alive connection pool (undici), bounded by a timeout. */
export function keepAliveFetcher(dispatcher: Dispatcher, timeoutMs: number): Fetcher {
  return (url, init) =>
    fetch(url, {
      method: init?.method ?? 'POST',
      headers: init?.headers ?? {},
      body: init?.body ?? null,
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
    });
}

/**
 * The gateway's connection to one subgraph. A failure to reach it becomes one clean error
 * naming the subgraph (code SUBGRAPH_UNAVAILABLE), not a transport message with its address; the
 * rest of the query still resolves. Every outcome updates the subgraph's status.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraphName: string,
    url: string,
    fetcher: Fetcher,
    private readonly monitor: SubgraphStatusMonitor,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly signer: InternalSigner,
  ) {
    super({ url, fetcher });
  }

  /**
   * Every subgraph request carries a short-lived internal token for this subgraph with the
   * caller's verified claims (or anonymous); the client's own Authorization never goes further.
   */
  override async willSendRequest(options: Parameters<RemoteGraphQLDataSource['willSendRequest'] & object>[0]) {
    const caller = (options.context as { caller?: Caller } | undefined)?.caller ?? ANONYMOUS;
    options.request.http?.headers.set('authorization', `Bearer ${await this.signer.sign(caller, this.subgraphName)}`);
  }

  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    try {
      const response = await super.process(options);
      this.monitor.recordSuccess(this.subgraphName);
      return response;
    } catch (error) {
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
      const reason =
        typeof httpStatus === 'number' ? `HTTP ${httpStatus}` : describeNetworkError(error, this.timeoutMs);
      this.monitor.recordFailure(this.subgraphName, reason);
      this.logger.warn({ subgraph: this.subgraphName, reason }, 'subgraph request failed');
      this.logger.debug({ subgraph: this.subgraphName, err: error }, 'subgraph request failure detail');
      throw new GraphQLError(
        `The ${this.subgraphName} subgraph is unavailable (${reason}); the fields it provides are null.`,
        { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.subgraphName } },
      );
    }
  }
}
