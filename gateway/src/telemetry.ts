import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import {
  activeSpan,
  ANONYMOUS_OPERATION,
  BoundedLabelValues,
  counter,
  failSpan,
  gauge,
  graphqlRequestMetrics,
  graphqlTelemetryPlugin,
  histogram,
  httpServerSpans,
  injectTraceContext,
  metricsRegistry,
  NO_OPERATION,
  REQUEST_SECONDS_BUCKETS,
  serveClusterMetrics,
  SpanKind,
  startServiceTelemetry,
  startSpan,
  type Logger,
  type MetricsListener,
  type Registry,
  type Span,
} from '@bicentennial/service';
import type { RequestHandler } from 'express';
import type { GatewayEnv } from './env';

/** The gateway's name in its metrics' `service` label (and, without OTEL_SERVICE_NAME, its traces'). */
export const GATEWAY_SERVICE = 'gateway';

/** The label of a fetch to a URL no subgraph of the served supergraph has. */
const UNKNOWN_SUBGRAPH = '(unknown)';

function createGatewayMetrics(registry: Registry) {
  return {
    fetches: counter(registry, {
      name: 'gateway_subgraph_fetches_total',
      help: 'HTTP requests the gateway sent to each subgraph (each attempt of a retried fetch counts)',
      labelNames: ['subgraph'],
    }),
    fetchDuration: histogram(registry, {
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: "Time from sending a subgraph request to having read its answer's body, by subgraph",
      labelNames: ['subgraph'],
      buckets: REQUEST_SECONDS_BUCKETS,
    }),
    fetchErrors: counter(registry, {
      name: 'gateway_subgraph_fetch_errors_total',
      help: 'Subgraph requests that failed, by subgraph and reason (timeout, network, http_4xx, http_5xx)',
      labelNames: ['subgraph', 'reason'],
    }),
    cacheLookups: counter(registry, {
      name: 'gateway_cache_lookups_total',
      help: 'Response cache lookups, by result (hit, miss, shared, uncacheable, bypass)',
      labelNames: ['result'],
    }),
    breakerState: gauge(registry, {
      name: 'gateway_subgraph_breaker_state',
      help: "Each subgraph's circuit breaker: 0 closed, 1 half-open (a probe is let through), 2 open (failing fast)",
      labelNames: ['subgraph'],
      // Each worker has its own breakers: the primary shows the most open one.
      aggregator: 'max',
    }),
  };
}

let metricsOf: { registry: Registry; metrics: ReturnType<typeof createGatewayMetrics> } | undefined;

/** The gateway's own metrics in the process registry, created once. */
function gatewayMetrics(): ReturnType<typeof createGatewayMetrics> {
  const registry = metricsRegistry();
  if (metricsOf?.registry !== registry) metricsOf = { registry, metrics: createGatewayMetrics(registry) };
  return metricsOf.metrics;
}

/** Distinct cache results before the rest count as `(other)`: the cache has five. */
const cacheResults = new BoundedLabelValues(20, 30);

/**
 * Counts one response cache lookup (`gateway_cache_lookups_total{result}`): `hit`, `miss`,
 * `shared`, `uncacheable`, `bypass` (case does not matter: the cache's `x-cache` values do).
 */
export function recordCacheLookup(result: string): void {
  gatewayMetrics().cacheLookups.inc({ result: cacheResults.of(result.toLowerCase()) });
}

/** A subgraph's circuit breaker state, as resilience.ts names it. */
export type BreakerState = 'closed' | 'half-open' | 'open';

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Sets `gateway_subgraph_breaker_state{subgraph}`: 0 closed, 1 half-open, 2 open. */
export function setSubgraphBreakerState(subgraph: string, state: BreakerState): void {
  gatewayMetrics().breakerState.set({ subgraph }, BREAKER_VALUES[state]);
}

export interface GatewayTelemetry {
  /** Counts and times every GraphQL request per operation and outcome, and its errors by code. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** First on /graphql: the request's server span, under the caller's `traceparent` (tracing on). */
  serverSpan: RequestHandler;
  /** Last before Apollo on /graphql: makes that span the active one again (after the body is read). */
  activateSpan: RequestHandler;
  /** Told of each supergraph served: which URL is which subgraph (the fetches' `subgraph` label). */
  servingSubgraphs(subgraphs: readonly { name: string; url: string }[]): void;
  /** The subgraph a fetch to `url` goes to. */
  subgraphOf(url: string): string;
  /** A request refused before GraphQL (401, 429): counted with operation `(none)`. */
  refused(code: string, seconds: number): void;
  /** A query answered from the response cache before Apollo Server (`earlyAnswers.ts`): counted as OK. */
  answeredEarly(operationName: string | null, seconds: number): void;
  /** Starts the metrics listener when METRICS_PORT is set; its `/metrics` URL. */
  listen(): Promise<string | undefined>;
  /** Closes the metrics listener and sends the spans still buffered. */
  stop(): Promise<void>;
}

/**
 * The gateway's telemetry (README, Telemetry): tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * request metrics always, the metrics listener once `listen` is called when METRICS_PORT is set.
 * @apollo/gateway traces through @opentelemetry/api on its own (`gateway.request`, `.validate`,
 * `.plan`, `.execute`, `.fetch`, `.postprocessing`): with a provider registered, its spans are
 * under the request's server span. Its `telemetry` option is left unset: it would add the
 * operation's document and the errors' messages to those spans, which may hold what a caller
 * sent or what a subgraph refused, and traces leave the process.
 */
export async function startGatewayTelemetry(env: GatewayEnv, logger: Logger): Promise<GatewayTelemetry> {
  const service = await startServiceTelemetry({ service: GATEWAY_SERVICE, settings: env, logger });
  const requests = graphqlRequestMetrics(GATEWAY_SERVICE);
  const spans = httpServerSpans(service.tracingName, '/graphql');
  // Created now, so that /metrics shows them (at no value) before the first fetch.
  gatewayMetrics();
  let subgraphsByUrl = new Map<string, string>();
  return {
    plugin: graphqlTelemetryPlugin(requests),
    serverSpan: spans.start,
    activateSpan: spans.activate,
    servingSubgraphs: (subgraphs) => {
      // A URL two subgraphs share (a misconfiguration) is labelled with the first.
      const next = new Map<string, string>();
      for (const { name, url } of subgraphs) if (!next.has(url)) next.set(url, name);
      subgraphsByUrl = next;
    },
    subgraphOf: (url) => subgraphsByUrl.get(url) ?? UNKNOWN_SUBGRAPH,
    refused: (code, seconds) => requests.record(NO_OPERATION, 'REFUSED', seconds, [code]),
    answeredEarly: (operationName, seconds) => {
      const operation = operationName ?? ANONYMOUS_OPERATION;
      requests.record(operation, 'OK', seconds, []);
      activeSpan()?.setAttributes({
        'graphql.operation.name': operation,
        'graphql.operation.type': 'query',
        'graphql.outcome': 'OK',
      });
    },
    listen: () => service.listen(),
    stop: () => service.stop(),
  };
}

/**
 * In the primary of several workers (GATEWAY_WORKERS): the metrics listener, when METRICS_PORT is
 * set, serving every worker's metrics added up. The workers answer it and listen for none
 * themselves (`startServiceTelemetry`).
 */
export async function servePrimaryMetrics(env: GatewayEnv, logger: Logger): Promise<MetricsListener | undefined> {
  if (env.METRICS_PORT === undefined) return undefined;
  const listener = await serveClusterMetrics({ port: env.METRICS_PORT, host: env.METRICS_HOST, logger });
  logger.info({ url: listener.url }, 'metrics listening (every worker’s)');
  return listener;
}

/** Why a subgraph request failed, for `gateway_subgraph_fetch_errors_total{reason}`. */
function failureReason(error: unknown): 'timeout' | 'network' {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
}

/**
 * The answer, with `done` called once its body has been read (or failed to be): the data source
 * reads it with `json()` or `text()`, and the time to the last byte is the fetch's duration.
 */
function onBodyRead(response: FetcherResponse, done: (error?: unknown) => void): FetcherResponse {
  let settled = false;
  const settle = (error?: unknown) => {
    if (settled) return;
    settled = true;
    done(error);
  };
  return new Proxy(response, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'json' || property === 'text' || property === 'arrayBuffer') {
        return () =>
          (value as () => Promise<unknown>).call(target).then(
            (body) => {
              settle();
              return body;
            },
            (error: unknown) => {
              settle(error);
              throw error;
            },
          );
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}

/**
 * Wraps the gateway's subgraph fetcher: each request is counted and timed per subgraph
 * (`gateway_subgraph_fetch*`), and, with tracing on, is a client span (`POST <subgraph>`) under
 * @apollo/gateway's `gateway.fetch` whose `traceparent` the request carries, so that the
 * subgraph's server span is its child.
 */
export function tracedFetcher(fetcher: Fetcher, telemetry: Pick<GatewayTelemetry, 'subgraphOf'>): Fetcher {
  return async (url, init) => {
    const subgraph = telemetry.subgraphOf(url);
    const metrics = gatewayMetrics();
    metrics.fetches.inc({ subgraph });
    const started = performance.now();
    const span: Span | undefined = startSpan(
      `POST ${subgraph}`,
      { 'http.request.method': init?.method ?? 'POST', 'url.full': url, 'bicentennial.subgraph': subgraph },
      SpanKind.CLIENT,
    );
    const finish = (reason?: string, error?: unknown) => {
      metrics.fetchDuration.observe({ subgraph }, (performance.now() - started) / 1000);
      if (reason) metrics.fetchErrors.inc({ subgraph, reason });
      if (span) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
    };
    let response: FetcherResponse;
    try {
      response = await fetcher(
        url,
        span ? { ...init, headers: injectTraceContext({ ...(init?.headers ?? {}) }, span) } : init,
      );
    } catch (error) {
      finish(failureReason(error), error);
      throw error;
    }
    const { status } = response;
    span?.setAttribute('http.response.status_code', status);
    const httpReason = status >= 500 ? 'http_5xx' : status >= 400 ? 'http_4xx' : undefined;
    return onBodyRead(response, (error) => {
      if (error !== undefined) finish(failureReason(error), error);
      else {
        if (httpReason && span) failSpan(span, { code: `HTTP ${status}` });
        finish(httpReason);
      }
    });
  };
}
