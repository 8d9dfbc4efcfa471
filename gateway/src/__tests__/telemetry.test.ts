import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import {
  createInMemorySpanExporter,
  EnvError,
  metricsRegistry,
  SERVICE_ATTRIBUTE,
  silentLogger,
  SpanKind,
  SpanStatusCode,
  startTracing,
  withSpan,
  type InMemorySpanExporter,
  type Tracing,
} from '@bicentennial/service';
import { Response } from 'undici';
import { readEnv } from '../env';
import { recordCacheLookup, setSubgraphBreakerState, startGatewayTelemetry, tracedFetcher } from '../telemetry';

async function seriesValue(series: string): Promise<number | undefined> {
  const text = await metricsRegistry().metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const FRAMEWORK_URL = 'http://127.0.0.1:4001/graphql';
const subgraphs = { subgraphOf: (url: string) => (url === FRAMEWORK_URL ? 'framework' : '(unknown)') };

/** A fetcher answering `status` with a JSON body, recording what it was asked. */
function answering(status: number, calls: { url: string; init: FetcherRequestInit | undefined }[] = []): Fetcher {
  return (url, init) => {
    calls.push({ url, init });
    return Promise.resolve(
      new Response(JSON.stringify({ data: { ok: true } }), { status, headers: { 'content-type': 'application/json' } }),
    );
  };
}

const fetches = (subgraph: string) => seriesValue(`gateway_subgraph_fetches_total{subgraph="${subgraph}"}`);
const fetchesTimed = (subgraph: string) =>
  seriesValue(`gateway_subgraph_fetch_duration_seconds_count{subgraph="${subgraph}"}`);
const fetchErrors = (subgraph: string, reason: string) =>
  seriesValue(`gateway_subgraph_fetch_errors_total{subgraph="${subgraph}",reason="${reason}"}`);

describe('subgraph fetches, tracing off', () => {
  it('are counted per subgraph, and timed once their answer has been read', async () => {
    const calls: { url: string; init: FetcherRequestInit | undefined }[] = [];
    const fetcher = tracedFetcher(answering(200, calls), subgraphs);
    const before = { count: (await fetches('framework')) ?? 0, timed: (await fetchesTimed('framework')) ?? 0 };
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    const response = await fetcher(FRAMEWORK_URL, init);
    expect(await fetches('framework')).toBe(before.count + 1);
    expect((await fetchesTimed('framework')) ?? 0).toBe(before.timed);
    expect(await response.json()).toEqual({ data: { ok: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await fetchesTimed('framework')).toBe(before.timed + 1);
    // Nothing is added to the request: it goes as the data source made it.
    expect(calls).toEqual([{ url: FRAMEWORK_URL, init }]);
    expect(calls[0]!.init).toBe(init);
  });

  it('count failures by reason: an HTTP error status, a timeout, a network error', async () => {
    const before = {
      http5xx: (await fetchErrors('framework', 'http_5xx')) ?? 0,
      http4xx: (await fetchErrors('framework', 'http_4xx')) ?? 0,
      timeout: (await fetchErrors('framework', 'timeout')) ?? 0,
      network: (await fetchErrors('(unknown)', 'network')) ?? 0,
    };
    await (await tracedFetcher(answering(503), subgraphs)(FRAMEWORK_URL, {})).text();
    await (await tracedFetcher(answering(400), subgraphs)(FRAMEWORK_URL, {})).json();
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    await expect(tracedFetcher(() => Promise.reject(timeout), subgraphs)(FRAMEWORK_URL, {})).rejects.toBe(timeout);
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    await expect(tracedFetcher(() => Promise.reject(refused), subgraphs)('http://elsewhere/graphql', {})).rejects.toBe(
      refused,
    );
    expect(await fetchErrors('framework', 'http_5xx')).toBe(before.http5xx + 1);
    expect(await fetchErrors('framework', 'http_4xx')).toBe(before.http4xx + 1);
    expect(await fetchErrors('framework', 'timeout')).toBe(before.timeout + 1);
    expect(await fetchErrors('(unknown)', 'network')).toBe(before.network + 1);
  });
});

describe('the metrics the gateway exports for its cache and breakers', () => {
  it('counts cache lookups by result, whatever the case it is given in', async () => {
    const before = (await seriesValue('gateway_cache_lookups_total{result="hit"}')) ?? 0;
    recordCacheLookup('HIT');
    recordCacheLookup('hit');
    recordCacheLookup('MISS');
    expect(await seriesValue('gateway_cache_lookups_total{result="hit"}')).toBe(before + 2);
    expect(await seriesValue('gateway_cache_lookups_total{result="miss"}')).toBeGreaterThanOrEqual(1);
  });

  it("sets each subgraph's breaker state: 0 closed, 1 half-open, 2 open", async () => {
    setSubgraphBreakerState('finance', 'open');
    expect(await seriesValue('gateway_subgraph_breaker_state{subgraph="finance"}')).toBe(2);
    setSubgraphBreakerState('finance', 'half-open');
    expect(await seriesValue('gateway_subgraph_breaker_state{subgraph="finance"}')).toBe(1);
    setSubgraphBreakerState('finance', 'closed');
    expect(await seriesValue('gateway_subgraph_breaker_state{subgraph="finance"}')).toBe(0);
  });
});

describe('the gateway telemetry', () => {
  it('serves the metrics on their own listener when METRICS_PORT is set, and names subgraphs by URL', async () => {
    const telemetry = await startGatewayTelemetry(readEnv({ METRICS_PORT: '0' }), silentLogger);
    try {
      telemetry.servingSubgraphs([
        { name: 'framework', url: FRAMEWORK_URL },
        { name: 'finance', url: 'http://127.0.0.1:4005/graphql' },
      ]);
      expect(telemetry.subgraphOf('http://127.0.0.1:4005/graphql')).toBe('finance');
      expect(telemetry.subgraphOf('http://127.0.0.1:9999/graphql')).toBe('(unknown)');
      telemetry.refused('RATE_LIMITED', 0.002);
      const url = await telemetry.listen();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await (await fetch(url!)).text();
      expect(text).toContain('graphql_requests_total{service="gateway",operation="(none)",outcome="REFUSED"} 1');
      expect(text).toContain('graphql_errors_total{service="gateway",code="RATE_LIMITED"} 1');
      // Its own metrics are there before anything recorded them.
      for (const name of ['gateway_subgraph_fetches_total', 'gateway_cache_lookups_total']) {
        expect(text).toContain(`# TYPE ${name} counter`);
      }
      expect(text).toContain('# TYPE gateway_subgraph_breaker_state gauge');
    } finally {
      await telemetry.stop();
    }
  });

  it('has no metrics listener without METRICS_PORT', async () => {
    const telemetry = await startGatewayTelemetry(readEnv({}), silentLogger);
    expect(await telemetry.listen()).toBeUndefined();
    await telemetry.stop();
  });

  it('reads and checks its settings', () => {
    const env = readEnv({
      METRICS_PORT: '9400',
      METRICS_HOST: '0.0.0.0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'gateway-mx',
    });
    expect(env).toMatchObject({
      METRICS_PORT: 9400,
      METRICS_HOST: '0.0.0.0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'gateway-mx',
    });
    const defaults = readEnv({});
    expect(defaults.METRICS_PORT).toBeUndefined();
    expect(defaults.METRICS_HOST).toBe('127.0.0.1');
    expect(defaults.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(() => readEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": must be an http:// or https:// URL',
    );
    expect(() => readEnv({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT="70000": must be between 0 and 65535');
    expect(() => readEnv({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(EnvError);
    expect(() => readEnv({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(
      'METRICS_PORT=4000: must differ from PORT (metrics have a listener of their own)',
    );
  });
});

describe('subgraph fetches, tracing on', () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  beforeAll(async () => {
    exporter = await createInMemorySpanExporter();
    tracing = await startTracing({ serviceName: 'gateway', exporter });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  it('are client spans under the active span, whose traceparent the request carries', async () => {
    const calls: { url: string; init: FetcherRequestInit | undefined }[] = [];
    const init = { method: 'POST', headers: { authorization: 'Bearer internal' }, body: '{}' };
    await withSpan('gateway.fetch', { service: 'framework' }, async () => {
      const response = await tracedFetcher(answering(200, calls), subgraphs)(FRAMEWORK_URL, init);
      // The span lasts until the body is read.
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
      await response.json();
    });
    const [client, parent] = exporter.getFinishedSpans();
    expect(parent!.name).toBe('gateway.fetch');
    expect(client!.name).toBe('POST framework');
    expect(client!.kind).toBe(SpanKind.CLIENT);
    expect(client!.parentSpanContext?.spanId).toBe(parent!.spanContext().spanId);
    expect(client!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.full': FRAMEWORK_URL,
      'bicentennial.subgraph': 'framework',
      [SERVICE_ATTRIBUTE]: 'gateway',
    });
    const { traceId, spanId } = client!.spanContext();
    expect(calls[0]!.init?.headers).toEqual({
      authorization: 'Bearer internal',
      traceparent: `00-${traceId}-${spanId}-01`,
    });
    // The data source's own headers are left as they were.
    expect(init.headers).toEqual({ authorization: 'Bearer internal' });
  });

  it('are marked failed on an HTTP error status or a network error', async () => {
    await (await tracedFetcher(answering(502), subgraphs)(FRAMEWORK_URL, {})).text();
    const refused = Object.assign(new TypeError('fetch failed'), { code: 'ECONNREFUSED' });
    await expect(tracedFetcher(() => Promise.reject(refused), subgraphs)(FRAMEWORK_URL, {})).rejects.toBe(refused);
    const [http, network] = exporter.getFinishedSpans();
    expect(http!.status.code).toBe(SpanStatusCode.ERROR);
    expect(http!.attributes['error.type']).toBe('HTTP 502');
    expect(network!.status.code).toBe(SpanStatusCode.ERROR);
    expect(network!.attributes['error.type']).toBe('ECONNREFUSED');
  });
});
