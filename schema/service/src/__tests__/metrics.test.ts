import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import {
  ANONYMOUS_OPERATION,
  BoundedLabelValues,
  counter,
  createMetricsRegistry,
  gauge,
  graphqlOutcome,
  graphqlRequestMetrics,
  graphqlTelemetryPlugin,
  histogram,
  metricsRegistry,
  NO_OPERATION,
  OTHER_LABEL_VALUE,
  serveMetrics,
  type MetricsListener,
} from '../telemetry';
import { silentLogger } from '../logger';

/** The value of one series in a text exposition (`name{labels} value`), undefined if absent. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the metrics registry', () => {
  it('is one per process, with the default metrics under their standard names (event-loop lag included)', async () => {
    expect(metricsRegistry()).toBe(metricsRegistry());
    const text = await metricsRegistry().metrics();
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('returns the metric already registered when it is defined again (several servers in one process)', () => {
    const registry = createMetricsRegistry();
    const definition = { name: 'things_total', help: 'things', labelNames: ['kind'] as const };
    const first = counter(registry, definition);
    expect(counter(registry, definition)).toBe(first);
    const buckets = [0.1, 1];
    const timing = histogram(registry, { name: 'thing_seconds', help: 'time', labelNames: ['kind'], buckets });
    expect(histogram(registry, { name: 'thing_seconds', help: 'time', labelNames: ['kind'], buckets })).toBe(timing);
    // Another registry is another set of metrics.
    expect(counter(createMetricsRegistry(), definition)).not.toBe(first);
  });

  it('refuses a second definition that differs from the first', () => {
    const registry = createMetricsRegistry();
    counter(registry, { name: 'things_total', help: 'things', labelNames: ['kind'] });
    expect(() => counter(registry, { name: 'things_total', help: 'things', labelNames: ['colour'] })).toThrow(
      'metric things_total is already registered as a counter (kind); it cannot also be a counter (colour)',
    );
    expect(() => gauge(registry, { name: 'things_total', help: 'things', labelNames: ['kind'] })).toThrow(
      /already registered as a counter/,
    );
    histogram(registry, { name: 'thing_seconds', help: 'time', labelNames: [], buckets: [1] });
    expect(() => histogram(registry, { name: 'thing_seconds', help: 'time', labelNames: [], buckets: [2] })).toThrow(
      /buckets 1\); it cannot also be a histogram \(; buckets 2\)/,
    );
    // A default metric was registered by prom-client itself, not through these helpers.
    expect(() => counter(registry, { name: 'process_cpu_seconds_total', help: 'cpu', labelNames: [] })).toThrow(
      'metric process_cpu_seconds_total is already registered by other code: choose another name',
    );
  });

  it("sets a gauge's values when scraped, with its collect function", async () => {
    const registry = createMetricsRegistry();
    let depth = 3;
    gauge(registry, {
      name: 'queue_depth',
      help: 'depth',
      labelNames: ['queue'],
      collect() {
        this.set({ queue: 'a' }, depth);
      },
    });
    expect(seriesValue(await registry.metrics(), 'queue_depth{queue="a"}')).toBe(3);
    depth = 7;
    expect(seriesValue(await registry.metrics(), 'queue_depth{queue="a"}')).toBe(7);
  });
});

describe('BoundedLabelValues', () => {
  it('keeps the first values up to its limit and counts every later or overlong one as (other)', () => {
    const operations = new BoundedLabelValues(2, 10);
    expect(operations.of('Dashboard')).toBe('Dashboard');
    expect(operations.of('Objective')).toBe('Objective');
    expect(operations.of('Third')).toBe(OTHER_LABEL_VALUE);
    // Values it kept stay theirs.
    expect(operations.of('Dashboard')).toBe('Dashboard');
    expect(new BoundedLabelValues(5, 10).of('a'.repeat(11))).toBe(OTHER_LABEL_VALUE);
  });
});

describe('graphqlOutcome', () => {
  it('classifies an answer as the audit trail does', () => {
    expect(graphqlOutcome([], true, true)).toBe('OK');
    expect(graphqlOutcome(['SUBGRAPH_UNAVAILABLE'], true, true)).toBe('PARTIAL');
    expect(graphqlOutcome(['INTERNAL_SERVER_ERROR'], true, false)).toBe('ERROR');
    expect(graphqlOutcome(['GRAPHQL_VALIDATION_FAILED'], false, false)).toBe('REFUSED');
    // Refused even with data: a field was removed for the caller.
    expect(graphqlOutcome(['UNAUTHORIZED_FIELD_OR_TYPE'], true, true)).toBe('REFUSED');
    // Bad variables refuse before execution; BAD_USER_INPUT from a resolver is an error.
    expect(graphqlOutcome(['BAD_USER_INPUT'], false, false)).toBe('REFUSED');
    expect(graphqlOutcome(['BAD_USER_INPUT'], true, true)).toBe('PARTIAL');
  });
});

describe('graphqlTelemetryPlugin', () => {
  const typeDefs = `#graphql
    type Query { goal(id: ID!): String!, note(id: ID!): String }`;
  const find = (_: unknown, { id }: { id: string }) => {
    if (id === 'missing') throw new GraphQLError('no such goal', { extensions: { code: 'NOT_FOUND' } });
    return `goal ${id}`;
  };
  const resolvers = { Query: { goal: find, note: find } };

  const serve = (service: string) => {
    const registry = createMetricsRegistry();
    let clock = 0;
    const server = new ApolloServer({
      typeDefs,
      resolvers,
      logger: silentLogger,
      // Each request "takes" 30 ms on this clock: the histogram's sum is exact.
      plugins: [graphqlTelemetryPlugin(graphqlRequestMetrics(service, registry), { now: () => (clock += 15) })],
    });
    return { server, registry };
  };

  it('counts each request by operation and outcome, times it, and counts its errors by code', async () => {
    const { server, registry } = serve('framework');
    await server.start();
    try {
      await server.executeOperation({ query: 'query Goal { goal(id: "1") }' });
      await server.executeOperation({ query: 'query Goal { goal(id: "2") }' });
      // `goal` is non-null: no data at all. `note` is nullable: the rest of the answer stands.
      await server.executeOperation({ query: 'query Goal { goal(id: "missing") }' });
      await server.executeOperation({ query: 'query Goal { goal(id: "4") note(id: "missing") }' });
      await server.executeOperation({ query: '{ goal(id: "3") }' });
      await server.executeOperation({ query: '{ nosuchfield }' });
      await server.executeOperation({ query: '{ goal(' });
    } finally {
      await server.stop();
    }
    const text = await registry.metrics();
    const requests = (operation: string, outcome: string) =>
      seriesValue(text, `graphql_requests_total{service="framework",operation="${operation}",outcome="${outcome}"}`);
    expect(requests('Goal', 'OK')).toBe(2);
    expect(requests('Goal', 'ERROR')).toBe(1);
    expect(requests('Goal', 'PARTIAL')).toBe(1);
    expect(requests(ANONYMOUS_OPERATION, 'OK')).toBe(1);
    // Neither was resolved to an operation: one failed validation, one did not parse.
    expect(requests(NO_OPERATION, 'REFUSED')).toBe(2);
    const errors = (code: string) => seriesValue(text, `graphql_errors_total{service="framework",code="${code}"}`);
    expect(errors('NOT_FOUND')).toBe(2);
    expect(errors('GRAPHQL_VALIDATION_FAILED')).toBe(1);
    expect(errors('GRAPHQL_PARSE_FAILED')).toBe(1);
    expect(seriesValue(text, 'graphql_request_duration_seconds_count{service="framework",operation="Goal"}')).toBe(4);
    expect(seriesValue(text, 'graphql_request_duration_seconds_sum{service="framework",operation="Goal"}')).toBeCloseTo(
      0.06,
    );
    expect(
      seriesValue(text, 'graphql_request_duration_seconds_bucket{le="0.01",service="framework",operation="Goal"}'),
    ).toBe(0);
    expect(
      seriesValue(text, 'graphql_request_duration_seconds_bucket{le="0.025",service="framework",operation="Goal"}'),
    ).toBe(4);
  });

  it('keeps the services of one registry apart by their label', async () => {
    const registry = createMetricsRegistry();
    graphqlRequestMetrics('gateway', registry).record('Dashboard', 'OK', 0.2, []);
    graphqlRequestMetrics('framework', registry).record('Dashboard__framework__0', 'PARTIAL', 0.05, ['X']);
    const text = await registry.metrics();
    expect(seriesValue(text, 'graphql_requests_total{service="gateway",operation="Dashboard",outcome="OK"}')).toBe(1);
    expect(
      seriesValue(
        text,
        'graphql_requests_total{service="framework",operation="Dashboard__framework__0",outcome="PARTIAL"}',
      ),
    ).toBe(1);
    expect(seriesValue(text, 'graphql_errors_total{service="framework",code="X"}')).toBe(1);
    expect(seriesValue(text, 'graphql_errors_total{service="gateway",code="X"}')).toBeUndefined();
  });

  it('labels operation names past the limit (200 per service) as (other)', async () => {
    const registry = createMetricsRegistry();
    const metrics = graphqlRequestMetrics('gateway', registry);
    for (let i = 0; i < 250; i++) metrics.record(`Operation${i}`, 'OK', 0.001, []);
    const text = await registry.metrics();
    expect(seriesValue(text, 'graphql_requests_total{service="gateway",operation="Operation199",outcome="OK"}')).toBe(
      1,
    );
    expect(seriesValue(text, 'graphql_requests_total{service="gateway",operation="Operation200",outcome="OK"}')).toBe(
      undefined,
    );
    expect(seriesValue(text, `graphql_requests_total{service="gateway",operation="(other)",outcome="OK"}`)).toBe(50);
  });
});

describe('the metrics listener', () => {
  let listener: MetricsListener;
  beforeAll(async () => {
    const registry = createMetricsRegistry();
    counter(registry, { name: 'answers_total', help: 'answers', labelNames: [] }).inc(42);
    listener = await serveMetrics({ port: 0, host: '127.0.0.1', logger: silentLogger, source: registry });
  });
  afterAll(() => listener.close());

  it('serves GET /metrics in the text exposition format', async () => {
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(listener.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# HELP answers_total answers\n# TYPE answers_total counter\nanswers_total 42\n');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('serves nothing else', async () => {
    const response = await fetch(listener.url.replace('/metrics', '/graphql'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
  });
});

describe('metrics of cluster workers', () => {
  it('are served by the primary, added up, while the workers listen for none of their own', async () => {
    // A primary and two workers (node:cluster), each worker recording as a gateway worker does.
    const telemetry = JSON.stringify(join(__dirname, '..', 'telemetry', 'index.ts'));
    const pino = JSON.stringify(require.resolve('pino'));
    const script = `
      const cluster = require('node:cluster');
      const { counter, gauge, metricsRegistry, serveClusterMetrics, startServiceTelemetry } = require(${telemetry});
      const logger = require(${pino})({ level: 'silent' });
      if (cluster.isPrimary) {
        (async () => {
          const listener = await serveClusterMetrics({ port: 0, host: '127.0.0.1', logger });
          let ready = 0;
          for (let i = 0; i < 2; i++) {
            cluster.fork().on('message', async (message) => {
              if (message !== 'ready' || ++ready < 2) return;
              const text = await (await fetch(listener.url)).text();
              for (const worker of Object.values(cluster.workers)) worker.kill();
              await listener.close();
              process.stdout.write(JSON.stringify({ text }));
            });
          }
        })();
      } else {
        (async () => {
          const service = await startServiceTelemetry({
            service: 'gateway', settings: { METRICS_PORT: 0, METRICS_HOST: '127.0.0.1' }, logger,
          });
          const url = await service.listen();
          const registry = metricsRegistry();
          counter(registry, { name: 'jobs_total', help: 'jobs', labelNames: [] }).inc(cluster.worker.id * 10);
          gauge(registry, { name: 'worst_state', help: 'state', labelNames: [], aggregator: 'max' }).set(cluster.worker.id);
          process.send(url === undefined ? 'ready' : 'listened on ' + url);
        })();
      }`;
    const dir = mkdtempSync(join(tmpdir(), 'bicentennial-cluster-'));
    try {
      writeFileSync(join(dir, 'cluster.js'), script);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@bicentennial/source', '--import', 'tsx', join(dir, 'cluster.js')],
        { cwd: join(__dirname, '..', '..', '..', '..'), timeout: 60_000 },
      );
      const { text } = JSON.parse(stdout) as { text: string };
      expect(seriesValue(text, 'jobs_total')).toBe(30);
      expect(seriesValue(text, 'worst_state')).toBe(2);
      // Each worker's default metrics, added up.
      expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
