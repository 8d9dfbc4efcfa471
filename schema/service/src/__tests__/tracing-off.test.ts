import { trace } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import {
  activeSpan,
  createInMemorySpanExporter,
  extractTraceContext,
  httpServerSpans,
  injectTraceContext,
  startSpan,
  startTracing,
  tracingEnabled,
  withSpan,
} from '../telemetry';

/** Tracing that was never started, and tracing started then shut down: nothing is registered. */
describe('tracing off', () => {
  const expectOff = () => {
    expect(tracingEnabled()).toBe(false);
    // The API's no-op tracer: libraries that trace through it (@apollo/gateway) make nothing.
    expect(trace.getTracer('some-library').startSpan('work').isRecording()).toBe(false);
    expect(startSpan('work', {})).toBeUndefined();
    expect(activeSpan()).toBeUndefined();
    let given: unknown = 'not called';
    expect(
      withSpan('work', {}, (span) => {
        given = span;
        return 42;
      }),
    ).toBe(42);
    expect(given).toBeUndefined();
    expect(injectTraceContext({ accept: 'application/json' })).toEqual({ accept: 'application/json' });
    expect(
      trace.getSpanContext(
        extractTraceContext({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
      ),
    ).toBeUndefined();
    // The server-span middlewares only pass the request on.
    const { start, activate } = httpServerSpans('framework', '/graphql');
    const locals: Record<string, unknown> = {};
    const next = jest.fn();
    start({ headers: {} } as Request, { locals } as unknown as Response, next);
    activate({ headers: {} } as Request, { locals } as unknown as Response, next);
    expect(next).toHaveBeenCalledTimes(2);
    expect(locals).toEqual({});
  };

  it('registers nothing until started', () => {
    expectOff();
  });

  it('is off again once the provider that was started is shut down', async () => {
    const exporter = await createInMemorySpanExporter();
    const tracing = await startTracing({ serviceName: 'brief', exporter, processor: 'batch' });
    expect(tracingEnabled()).toBe(true);
    withSpan('while on', {}, () => undefined);
    // In batches: sent by a flush at the latest (shutting the exporter down empties it).
    await tracing.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['while on']);
    await tracing.shutdown();
    expectOff();
  });
});
