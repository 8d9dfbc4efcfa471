import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { jsonErrorHandler, jsonNotFound } from '../httpErrors';

export type { Counter, Gauge, Histogram, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The process's metrics: what its `/metrics` serves. One per process, created on first use with
 * Node's default metrics (CPU, memory, heap, GC, event-loop lag: prom-client's standard names,
 * no prefix). Several servers in one process (the in-process test graph) share it; the metrics
 * they record carry a `service` label, so theirs stay apart.
 */
export function metricsRegistry(): Registry {
  processRegistry ??= createMetricsRegistry();
  return processRegistry;
}

/** A registry of its own with the default metrics (a test that wants nothing else in it). */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

type MetricKind = 'counter' | 'gauge' | 'histogram';

/** What each registry's metrics were defined with, so that a second definition is checked against the first. */
const definitions = new WeakMap<Registry, Map<string, { kind: MetricKind; signature: string }>>();

/**
 * The metric `name` of `registry`, created the first time and returned as it is afterwards: the
 * code that records a metric may run once per server, and several servers may share a process.
 * A second definition that differs from the first (kind, labels, buckets) is a programming error
 * and throws, rather than recording into a metric shaped otherwise than its caller thinks.
 */
function registered<M>(registry: Registry, kind: MetricKind, signature: string, name: string, create: () => M): M {
  let known = definitions.get(registry);
  if (!known) {
    known = new Map();
    definitions.set(registry, known);
  }
  const existing = registry.getSingleMetric(name);
  const definition = known.get(name);
  if (existing && definition) {
    if (definition.kind !== kind || definition.signature !== signature) {
      throw new Error(
        `metric ${name} is already registered as a ${definition.kind} (${definition.signature}); ` +
          `it cannot also be a ${kind} (${signature})`,
      );
    }
    return existing as M;
  }
  if (existing) throw new Error(`metric ${name} is already registered by other code: choose another name`);
  const metric = create();
  known.set(name, { kind, signature });
  return metric;
}

export function counter<L extends string>(registry: Registry, definition: MetricDefinition<L>): Counter<L> {
  return registered(registry, 'counter', definition.labelNames.join(','), definition.name, () => {
    return new Counter<L>({ ...definition, labelNames: [...definition.labelNames], registers: [registry] });
  });
}

export function histogram<L extends string>(
  registry: Registry,
  definition: MetricDefinition<L> & { buckets: readonly number[] },
): Histogram<L> {
  const signature = `${definition.labelNames.join(',')}; buckets ${definition.buckets.join(',')}`;
  return registered(registry, 'histogram', signature, definition.name, () => {
    return new Histogram<L>({
      ...definition,
      labelNames: [...definition.labelNames],
      buckets: [...definition.buckets],
      registers: [registry],
    });
  });
}

/**
 * A gauge; `collect` (given once, when it is created) sets its values as it is scraped.
 * `aggregator` is how the values of several cluster workers combine (`serveClusterMetrics`):
 * summed unless said otherwise.
 */
export function gauge<L extends string>(
  registry: Registry,
  definition: MetricDefinition<L> & { collect?: (this: Gauge<L>) => void; aggregator?: 'sum' | 'max' | 'min' },
): Gauge<L> {
  const signature = `${definition.labelNames.join(',')}; ${definition.aggregator ?? 'sum'}`;
  return registered(registry, 'gauge', signature, definition.name, () => {
    const { collect, ...rest } = definition;
    return new Gauge<L>({
      ...rest,
      labelNames: [...definition.labelNames],
      registers: [registry],
      ...(collect ? { collect } : {}),
    });
  });
}

/** Seconds, for requests: 1 ms to 10 s (a Dashboard answers in tens of milliseconds to seconds). */
export const REQUEST_SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/** Seconds, for SQL statements: 0.1 ms (PGlite answers a cached read in that) to 5 s. */
export const STATEMENT_SECONDS_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5,
] as const;

/** The label value of everything past a `BoundedLabelValues`' limit. */
export const OTHER_LABEL_VALUE = '(other)';

/**
 * Values of a label that callers choose (operation names: any caller may name an operation
 * anything). Every distinct label value is a series Prometheus keeps forever, so the first
 * `limit` distinct values are kept and every later one, or one longer than `maxLength`, is
 * `(other)`: a caller sending random names costs one series, not one per name.
 */
export class BoundedLabelValues {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly maxLength = 100,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit || value.length > this.maxLength) return OTHER_LABEL_VALUE;
    this.seen.add(value);
    return value;
  }
}

/** What `/metrics` serves: a registry, or the metrics of a cluster's workers. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** `GET /metrics`: the source in Prometheus' text exposition format. */
export function metricsHandler(source: MetricsSource = metricsRegistry()): RequestHandler {
  return (_req, res, next) => {
    source.metrics().then((text) => {
      res.set('Content-Type', source.contentType).send(text);
    }, next);
  };
}

/**
 * In a cluster worker: answers the primary's requests for this process's metrics
 * (`serveClusterMetrics`), instead of a listener of its own. A worker's listener would share the
 * port with the others (node:cluster shares every listening port), and each scrape would read
 * whichever worker the primary handed the connection to.
 */
export function shareMetricsWithPrimary(registry: Registry = metricsRegistry()): void {
  // Constructing one installs the worker's answering listener (once, whatever the calls).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

/**
 * In a cluster's primary: the metrics listener, serving the sum of its workers' metrics
 * (counters and histograms added up, event-loop lag averaged, gauges as each declares).
 */
export function serveClusterMetrics(options: { port: number; host: string; logger: Logger }): Promise<MetricsListener> {
  const aggregator = new AggregatorRegistry();
  return serveMetrics({
    ...options,
    source: { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() },
  });
}

export interface MetricsListener {
  /** `http://host:port/metrics`. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The metrics listener: `GET /metrics` only, on an address of its own (METRICS_HOST, loopback by
 * default, and METRICS_PORT), never on the service's public listener. Nothing on it checks a
 * token: what may scrape it is decided by who can reach that address (Prometheus on the same
 * network), as Prometheus expects of a scrape target.
 */
export async function serveMetrics(options: {
  port: number;
  host: string;
  logger: Logger;
  source?: MetricsSource;
}): Promise<MetricsListener> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(options.source ?? metricsRegistry()));
  app.use(jsonNotFound);
  app.use(jsonErrorHandler(options.logger));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/metrics`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A scraper's idle keep-alive connection would hold the close open until it times out.
        server.closeIdleConnections();
      }),
  };
}
