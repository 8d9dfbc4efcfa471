import {
  createInMemorySpanExporter,
  SERVICE_ATTRIBUTE,
  SpanKind,
  startTracing,
  type InMemorySpanExporter,
  type ReadableSpan,
  type Tracing,
} from '@bicentennial/service';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { DASHBOARD, post, type DashboardData } from '../operations';

/** The subgraphs the Dashboard's plan fetches from: framework, then each indicator owner. */
const DASHBOARD_SUBGRAPHS = ['border-trade', 'extradition', 'finance', 'firearms', 'framework', 'public-health'];

/** The value of one series in a /metrics text (0 when absent: a counter not yet incremented). */
function seriesValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(url: string | undefined): Promise<string> {
  if (!url) throw new Error('no metrics listener: METRICS_PORT is not set');
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  expect(response.status).toBe(200);
  return response.text();
}

/**
 * Traces and metrics end to end: the real gateway over the real subgraphs (in-process, over
 * HTTP), with one tracer provider for the whole process exporting to memory. The services share
 * that provider (and its resource), so which service made a span is read from its service
 * attribute, which each service sets on its own server span and the spans under it inherit.
 */
describe('telemetry of one Dashboard', () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  let graph: InProcessGraph;

  beforeAll(async () => {
    exporter = await createInMemorySpanExporter();
    // Before the graph starts: @apollo/gateway keeps the tracer it gets first.
    tracing = await startTracing({ serviceName: 'telemetry-test', exporter });
    graph = await startInProcessGraph({ gatewayEnv: { METRICS_PORT: '0' }, subgraphEnv: { METRICS_PORT: '0' } });
  }, 240_000);
  afterAll(async () => {
    await graph?.stop();
    await tracing?.shutdown();
  }, 60_000);

  const spans = () => exporter.getFinishedSpans();
  const idOf = (span: ReadableSpan) => span.spanContext().spanId;
  const childrenOf = (parent: ReadableSpan, all: readonly ReadableSpan[]) =>
    all.filter((s) => s.parentSpanContext?.spanId === idOf(parent));
  const serviceOf = (span: ReadableSpan) => span.attributes[SERVICE_ATTRIBUTE];
  const isGatewayServerSpan = (operation: string) => (s: ReadableSpan) =>
    s.kind === SpanKind.SERVER && serviceOf(s) === 'gateway' && s.attributes['graphql.operation.name'] === operation;

  /** The gateway's server span ends as its answer is sent, just after the client has it. */
  async function gatewayServerSpan(operation: string): Promise<ReadableSpan> {
    for (let waited = 0; waited < 10_000 && !spans().some(isGatewayServerSpan(operation)); waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const found = spans().filter(isGatewayServerSpan(operation));
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  it('is one trace from the gateway’s HTTP span through each subgraph fetch to each SQL statement, and is counted', async () => {
    const framework = graph.subgraphs.get('framework')!;
    const before = {
      gateway: await scrape(graph.gateway.metricsUrl),
      framework: await scrape(framework.serving.metricsUrl),
    };
    exporter.reset();
    graph.resetRequests();
    for (const counter of graph.statements.values()) counter.reset();

    const { status, body } = await post<DashboardData>(graph.gatewayUrl, DASHBOARD);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.goals).toHaveLength(3);

    // The gateway's HTTP span is the root of one trace (no traceparent came with the request).
    const root = await gatewayServerSpan('Dashboard');
    expect(root.name).toBe('POST /graphql');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'http.response.status_code': 200, 'graphql.outcome': 'OK' });
    const { traceId } = root.spanContext();
    const trace = spans().filter((s) => s.spanContext().traceId === traceId);

    // @apollo/gateway's spans: the request, its plan (the first Dashboard: not yet cached) and
    // its execution, under the HTTP span.
    const [request] = childrenOf(root, trace).filter((s) => s.name === 'gateway.request');
    expect(request).toBeDefined();
    const names = childrenOf(request!, trace).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['gateway.validate', 'gateway.plan', 'gateway.execute']));
    const execute = childrenOf(request!, trace).find((s) => s.name === 'gateway.execute')!;

    // One fetch span per subgraph the plan calls: the subgraphs that received an operation.
    const fetches = childrenOf(execute, trace).filter((s) => s.name === 'gateway.fetch');
    const fetched = fetches.map((s) => String(s.attributes['service'])).sort();
    expect(fetched).toEqual(DASHBOARD_SUBGRAPHS);
    expect([...graph.requests.keys()].sort()).toEqual(DASHBOARD_SUBGRAPHS);
    expect([...graph.requests.values()]).toEqual(DASHBOARD_SUBGRAPHS.map(() => 1));

    const subgraphOperations = new Map<string, string>();
    for (const fetch of fetches) {
      const subgraph = String(fetch.attributes['service']);
      // Its HTTP request: a client span whose traceparent the subgraph received…
      const [client, ...more] = childrenOf(fetch, trace);
      expect(more).toEqual([]);
      expect(client).toMatchObject({ name: `POST ${subgraph}`, kind: SpanKind.CLIENT });
      expect(client!.attributes).toMatchObject({ 'bicentennial.subgraph': subgraph, 'http.response.status_code': 200 });
      // …so that the subgraph's server span is its child, in the same trace.
      const [server, ...others] = childrenOf(client!, trace);
      expect(others).toEqual([]);
      expect(server).toMatchObject({ name: 'POST /graphql', kind: SpanKind.SERVER });
      expect(serviceOf(server!)).toBe(subgraph);
      expect(server!.attributes).toMatchObject({ 'graphql.outcome': 'OK', 'http.response.status_code': 200 });
      subgraphOperations.set(subgraph, String(server!.attributes['graphql.operation.name']));

      // Every SQL statement the subgraph sent for it is a span under its server span: as many as
      // the statements its Prisma client sent (the statement counter), with the summary, no value.
      const descendants: ReadableSpan[] = [];
      const pending = [server!];
      while (pending.length > 0) {
        const children = childrenOf(pending.pop()!, trace);
        descendants.push(...children);
        pending.push(...children);
      }
      const statements = descendants.filter((s) => s.attributes['db.system'] === 'postgresql');
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.length).toBe(graph.statements.get(subgraph)!.count);
      for (const statement of statements) {
        expect(statement.kind).toBe(SpanKind.CLIENT);
        expect(serviceOf(statement)).toBe(subgraph);
        expect(statement.name).toMatch(/^SELECT( [A-Za-z_]+)+$/);
        expect(statement.attributes['db.query.summary']).toBe(statement.name);
      }
    }

    // Every span of the trace belongs to the gateway or to a subgraph it fetched from; none of the
    // subgraphs' work for this Dashboard is in another trace.
    for (const span of trace) expect(['gateway', ...DASHBOARD_SUBGRAPHS]).toContain(serviceOf(span));
    const dashboardWork = spans().filter(
      (s) => s.kind === SpanKind.SERVER && String(s.attributes['graphql.operation.name']).startsWith('Dashboard'),
    );
    expect(dashboardWork.length).toBe(1 + DASHBOARD_SUBGRAPHS.length);
    expect(dashboardWork.every((s) => s.spanContext().traceId === traceId)).toBe(true);

    // The metrics listeners count it: the gateway's request and fetches, framework's request and statements.
    const after = {
      gateway: await scrape(graph.gateway.metricsUrl),
      framework: await scrape(framework.serving.metricsUrl),
    };
    const delta = (which: 'gateway' | 'framework', series: string) =>
      seriesValue(after[which], series) - seriesValue(before[which], series);
    expect(delta('gateway', 'graphql_requests_total{service="gateway",operation="Dashboard",outcome="OK"}')).toBe(1);
    expect(delta('gateway', 'graphql_request_duration_seconds_count{service="gateway",operation="Dashboard"}')).toBe(1);
    for (const subgraph of DASHBOARD_SUBGRAPHS) {
      expect(delta('gateway', `gateway_subgraph_fetches_total{subgraph="${subgraph}"}`)).toBe(1);
      expect(delta('gateway', `gateway_subgraph_fetch_duration_seconds_count{subgraph="${subgraph}"}`)).toBe(1);
    }
    const frameworkOperation = subgraphOperations.get('framework')!;
    expect(frameworkOperation).toMatch(/^Dashboard__framework__\d+$/);
    expect(
      delta('framework', `graphql_requests_total{service="framework",operation="${frameworkOperation}",outcome="OK"}`),
    ).toBe(1);
    expect(delta('framework', 'db_statements_total{service="framework",operation="SELECT",outcome="ok"}')).toBe(
      graph.statements.get('framework')!.count,
    );
    expect(after.framework).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('counts a subgraph request refused for want of an internal token', async () => {
    const framework = graph.subgraphs.get('framework')!;
    const series = 'graphql_requests_total{service="framework",operation="(none)",outcome="REFUSED"}';
    const unauthenticated = 'graphql_errors_total{service="framework",code="UNAUTHENTICATED"}';
    const before = await scrape(framework.serving.metricsUrl);
    const response = await fetch(framework.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ goals { id } }' }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(401);
    const after = await scrape(framework.serving.metricsUrl);
    expect(seriesValue(after, series) - seriesValue(before, series)).toBe(1);
    expect(seriesValue(after, unauthenticated) - seriesValue(before, unauthenticated)).toBe(1);
  });

  it('continues the trace a caller started (its traceparent)', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ query: 'query Goals { goals { id } }' }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(200);
    const root = await gatewayServerSpan('Goals');
    expect(root.spanContext().traceId).toBe(traceId);
    expect(root.parentSpanContext).toMatchObject({ spanId: callerSpan, isRemote: true });
    const framework = spans().find(
      (s) => s.kind === SpanKind.SERVER && serviceOf(s) === 'framework' && s.spanContext().traceId === traceId,
    );
    expect(framework).toBeDefined();
  });
});
