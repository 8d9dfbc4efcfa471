import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { CircuitStateName } from './resilience';

export interface SubgraphStatus {
  name: string;
  url: string;
  reachable: boolean | null;
  /** Why the last probe or request failed, in words safe to show (no response bodies). */
  lastError: string | null;
  lastErrorAt: string | null;
  /** Round trip of the last successful probe. */
  latencyMs: number | null;
  lastCheckedAt: string | null;
  lastReachableAt: string | null;
  /** The gateway's circuit breaker for it: `open` while its fetches fail at once (README, Resilience). */
  circuit: CircuitStateName;
}

const PROBE = JSON.stringify({
  query: 'query __ApolloServiceHealthCheck__ { __typename }',
  operationName: '__ApolloServiceHealthCheck__',
});

/**
 * Knows, per subgraph, whether the gateway can reach it: a `{ __typename }` probe on an interval,
 * and the outcome of every real subgraph request in between (so an outage shows at once).
 */
export class SubgraphStatusMonitor {
  private readonly statuses = new Map<string, Omit<SubgraphStatus, 'circuit'>>();
  /** Kept apart from the statuses: a breaker may report before a supergraph names its subgraph. */
  private readonly circuits = new Map<string, CircuitStateName>();
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;

  constructor(
    private readonly options: {
      intervalMs: number;
      timeoutMs: number;
      dispatcher: Dispatcher;
      logger: Logger;
      /** The `Authorization` header of a probe to subgraph `name` (subgraphs answer the gateway only). */
      authorization: (name: string) => Promise<string>;
    },
  ) {}

  /** The subgraphs to watch (called again when the supergraph changes). */
  setSubgraphs(subgraphs: { name: string; url: string }[]): void {
    const previous = new Map(this.statuses);
    this.statuses.clear();
    for (const { name, url } of subgraphs) {
      const known = previous.get(name);
      this.statuses.set(
        name,
        known && known.url === url
          ? known
          : {
              name,
              url,
              reachable: null,
              lastError: null,
              lastErrorAt: null,
              latencyMs: null,
              lastCheckedAt: null,
              lastReachableAt: null,
            },
      );
    }
  }

  start(): void {
    if (this.timer) return;
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  snapshot(): SubgraphStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s, circuit: this.circuits.get(s.name) ?? 'closed' }));
  }

  /** Probes every subgraph now (concurrent calls share one round of probes). */
  probeAll(): Promise<void> {
    this.probing ??= Promise.all([...this.statuses.values()].map((s) => this.probe(s.name, s.url))).then(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  recordSuccess(name: string): void {
    const status = this.statuses.get(name);
    if (!status) return;
    const now = new Date().toISOString();
    if (status.reachable === false) this.options.logger.info({ subgraph: name }, 'subgraph reachable again');
    Object.assign(status, { reachable: true, lastCheckedAt: now, lastReachableAt: now });
  }

  recordFailure(name: string, reason: string): void {
    const status = this.statuses.get(name);
    if (!status) return;
    const now = new Date().toISOString();
    if (status.reachable !== false) this.options.logger.warn({ subgraph: name, reason }, 'subgraph unreachable');
    Object.assign(status, { reachable: false, lastError: reason, lastErrorAt: now, lastCheckedAt: now });
  }

  /** A breaker's new state (the data sources report every change). */
  recordCircuit(name: string, state: CircuitStateName): void {
    this.circuits.set(name, state);
  }

  private async probe(name: string, url: string): Promise<void> {
    const started = performance.now();
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await this.options.authorization(name) },
        body: PROBE,
        dispatcher: this.options.dispatcher,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const body = await response.body.text();
      if (response.statusCode !== 200) {
        this.recordFailure(name, `HTTP ${response.statusCode}`);
        return;
      }
      if (!body.includes('"__typename"')) {
        this.recordFailure(name, 'unexpected response to a health probe');
        return;
      }
      this.recordSuccess(name);
      const status = this.statuses.get(name);
      if (status) status.latencyMs = Math.round((performance.now() - started) * 10) / 10;
    } catch (error) {
      this.recordFailure(name, describeNetworkError(error, this.options.timeoutMs));
    }
  }
}

/** A network failure in words safe to show: the error code, not a stack or an address dump. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = err.code ?? err.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `no answer within ${timeoutMs} ms`;
    case undefined:
      return 'network error';
    default:
      return `network error (${code})`;
  }
}
