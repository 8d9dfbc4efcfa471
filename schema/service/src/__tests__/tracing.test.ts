import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import express from 'express';
import {
  createInMemorySpanExporter,
  extractTraceContext,
  httpServerSpans,
  injectTraceContext,
  SERVICE_ATTRIBUTE,
  SpanKind,
  startSpan,
  startTracing,
  tracingEnabled,
  withSpan,
  type InMemorySpanExporter,
  type ReadableSpan,
  type Tracing,
} from '../telemetry';

/**
 * One provider for the whole file, with an in-memory exporter: a process registers tracing once
 * (a library keeps the tracer it got from the first provider).
 */
let exporter: InMemorySpanExporter;
let tracing: Tracing;

beforeAll(async () => {
  exporter = await createInMemorySpanExporter();
  tracing = await startTracing({ serviceName: 'unit', exporter });
});
afterAll(() => tracing.shutdown());
beforeEach(() => exporter.reset());

const spans = () => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan => {
  const found = spans().filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, found ${found.length}`);
  return found[0]!;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('startTracing', () => {
  it('registers the provider: tracing is on, and libraries tracing through the API record spans', () => {
    expect(tracing.registered).toBe(true);
    expect(tracingEnabled()).toBe(true);
    trace.getTracer('some-library').startSpan('library work').end();
    expect(named('library work').resource.attributes['service.name']).toBe('unit');
  });

  it('shares the registered provider with a second start, whose shutdown leaves it running', async () => {
    const second = await startTracing({ serviceName: 'second', exporter });
    expect(second.registered).toBe(false);
    await second.shutdown();
    expect(tracingEnabled()).toBe(true);
    withSpan('still traced', {}, () => undefined);
    expect(named('still traced').attributes[SERVICE_ATTRIBUTE]).toBe('unit');
  });

  it('needs somewhere to send spans', async () => {
    await expect(startTracing({ serviceName: 'nowhere' })).rejects.toThrow(
      'startTracing needs an OTLP endpoint or an exporter',
    );
  });
});

describe('withSpan', () => {
  it('makes the spans started inside it its children, and ends when an async function settles', async () => {
    const result = await withSpan('outer', { step: 1 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return withSpan('inner', {}, () => 'done');
    });
    expect(result).toBe('done');
    const outer = named('outer');
    const inner = named('inner');
    expect(parentOf(inner)).toBe(outer.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(outer.attributes['step']).toBe(1);
    expect(outer.kind).toBe(SpanKind.INTERNAL);
    // The outer span lasted until the promise settled: it ended (was exported) after the inner one.
    expect(spans().map((s) => s.name)).toEqual(['inner', 'outer']);
  });

  it('marks a span failed with the kind of error only, never its message', async () => {
    const failure = Object.assign(new Error('duplicate key value (id)=(secret-123)'), { code: '23505' });
    await expect(withSpan('failing', {}, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(() =>
      withSpan('throwing', {}, () => {
        throw new TypeError('bad input secret-456');
      }),
    ).toThrow(TypeError);
    const failing = named('failing');
    expect(failing.status.code).toBe(SpanStatusCode.ERROR);
    expect(failing.attributes['error.type']).toBe('23505');
    expect(named('throwing').attributes['error.type']).toBe('TypeError');
    const recorded = JSON.stringify(spans().map((s) => [s.status, s.attributes, s.events]));
    expect(recorded).not.toMatch(/secret/);
  });
});

describe('the service attribute', () => {
  it('is the provider’s on a root span, a span’s own when it set one, else its local parent’s', () => {
    withSpan('root', {}, () => {
      withSpan('framework server', { [SERVICE_ATTRIBUTE]: 'framework' }, () => {
        withSpan('framework statement', {}, () => undefined);
      });
      withSpan('unit work', {}, () => undefined);
    });
    expect(named('root').attributes[SERVICE_ATTRIBUTE]).toBe('unit');
    expect(named('framework server').attributes[SERVICE_ATTRIBUTE]).toBe('framework');
    expect(named('framework statement').attributes[SERVICE_ATTRIBUTE]).toBe('framework');
    expect(named('unit work').attributes[SERVICE_ATTRIBUTE]).toBe('unit');
  });
});

describe('W3C trace context', () => {
  it('carries a span across a request: injected as traceparent, extracted as the remote parent', () => {
    const client = startSpan('client', {}, SpanKind.CLIENT)!;
    const headers = injectTraceContext({ 'content-type': 'application/json' }, client);
    client.end();
    const { traceId, spanId } = client.spanContext();
    expect(headers).toEqual({ 'content-type': 'application/json', traceparent: `00-${traceId}-${spanId}-01` });

    const remote = extractTraceContext({ traceparent: headers['traceparent'] });
    expect(trace.getSpanContext(remote)).toMatchObject({ traceId, spanId, isRemote: true });
    trace.getTracer('server').startSpan('server', {}, remote).end();
    const server = named('server');
    expect(server.spanContext().traceId).toBe(traceId);
    expect(parentOf(server)).toBe(spanId);
    // A remote parent's service is not inherited: the provider's (or the span's own) applies.
    expect(server.attributes[SERVICE_ATTRIBUTE]).toBe('unit');
  });

  it('injects the active span when none is named', () => {
    withSpan('active', {}, (span) => {
      expect(injectTraceContext({})['traceparent']).toBe(
        `00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`,
      );
    });
  });

  it('extracts nothing from a request without one, or with a malformed one', () => {
    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'not-a-traceparent' }))).toBeUndefined();
  });
});

describe('httpServerSpans', () => {
  let server: Server;
  let url: string;
  let ticks: NodeJS.Timeout;
  beforeAll(async () => {
    // A shared client (a Redis or database connection) answers from its own socket's events: a
    // middleware waiting on it resumes outside the request's context. This stands in for one.
    const sharedClient = new EventEmitter();
    ticks = setInterval(() => sharedClient.emit('answer'), 5);
    const app = express();
    const spans = httpServerSpans('framework', '/graphql');
    app.post(
      '/graphql',
      spans.start,
      express.json(),
      (_req, _res, next) => {
        sharedClient.once('answer', () => next());
      },
      spans.activate,
      async (req, res) => {
        const status = (req.body as { status?: number }).status ?? 200;
        await withSpan('handler', {}, () => new Promise((resolve) => setTimeout(resolve, 2)));
        res.status(status).json({ ok: status < 500 });
      },
    );
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    clearInterval(ticks);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  /** The server span ends on the response's `finish`, just after the client has the answer. */
  const serverSpan = async (): Promise<ReadableSpan> => {
    for (let i = 0; i < 200 && !spans().some((s) => s.kind === SpanKind.SERVER); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return named('POST /graphql');
  };

  it('opens a server span under the caller’s traceparent, active again in the handler after a middleware lost it', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await post({}, { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(response.status).toBe(200);
    const span = await serverSpan();
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(traceId);
    expect(parentOf(span)).toBe(callerSpan);
    expect(span.attributes).toMatchObject({
      [SERVICE_ATTRIBUTE]: 'framework',
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    const handler = named('handler');
    expect(parentOf(handler)).toBe(span.spanContext().spanId);
    expect(handler.attributes[SERVICE_ATTRIBUTE]).toBe('framework');
  });

  it('starts a trace of its own without a traceparent, and marks a 5xx answer failed', async () => {
    const response = await post({ status: 503 });
    expect(response.status).toBe(503);
    const span = await serverSpan();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.attributes['http.response.status_code']).toBe(503);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});
