import type { IncomingHttpHeaders } from 'node:http';
import { hostname } from 'node:os';
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type {
  InMemorySpanExporter,
  ReadableSpan,
  Span as SdkSpan,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export { SpanKind, SpanStatusCode } from '@opentelemetry/api';
export type { Attributes, Span } from '@opentelemetry/api';
export type { InMemorySpanExporter, ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * The service a span belongs to, on the span itself. In production each process has its own
 * provider and its resource's `service.name` says it; in one process holding several services
 * (the in-process test graph) there is one global provider and one resource, so each span also
 * carries the name of the service that made it: set on each service's own spans (its HTTP server
 * span), inherited by the spans under them in the same process (`ServiceAttribution`).
 */
export const SERVICE_ATTRIBUTE = 'bicentennial.service';

const TRACER_NAME = '@bicentennial/service';

interface Registered {
  serviceName: string;
  tracer: Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The provider this process registered, once its start resolved; undefined: tracing is off. */
let active: Registered | undefined;
/** Its start, while it runs (a second start waits for it, then shares it). */
let registering: Promise<Registered> | undefined;

export interface TracingOptions {
  /** The resource's `service.name`, and the service attribute of spans with no local parent. */
  serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT): spans are sent in batches to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** Instead of OTLP: spans go to this exporter (tests: `createInMemorySpanExporter()`). */
  exporter?: SpanExporter;
  /**
   * How spans reach the exporter: each as it ends (`simple`, the default with `exporter`: a test
   * sees a span as soon as it ended) or in batches off the request's path (`batch`, always with
   * `endpoint`: a span then costs a request a few microseconds instead of some fifteen).
   */
  processor?: 'simple' | 'batch';
  /** Hears the SDK's own warnings and errors (a collector that does not answer). */
  logger?: Logger;
}

export interface Tracing {
  readonly serviceName: string;
  /**
   * Whether this start registered the process's provider. False when one was registered already
   * (several services in one process): spans go to that one, and `shutdown` leaves it running.
   */
  readonly registered: boolean;
  /** Exports every span that has ended. */
  forceFlush(): Promise<void>;
  /** Exports what is pending and unregisters the provider (when this start registered it). */
  shutdown(): Promise<void>;
}

/** Whether a tracer provider is registered: everything here does nothing when not. */
export function tracingEnabled(): boolean {
  return active !== undefined;
}

/**
 * Registers the process's tracer provider globally (@opentelemetry/api), so that this code and
 * the libraries that trace through the API (@apollo/gateway) record spans: a NodeTracerProvider
 * (whose `register` installs the AsyncLocalStorage context manager) with the W3C trace-context
 * propagator, exporting to OTLP/HTTP in batches, or to the given exporter (span by span unless
 * told to batch).
 *
 * Unless this is called nothing is registered and the API's no-op tracer stands in: no span is
 * made, and the SDK is not even loaded (it is imported here, on demand). One provider per process:
 * a second start, while one is registered, returns a handle on the first. A library that asked
 * the API for its tracer while an earlier provider was registered keeps that one, so a test
 * process starts tracing once.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.endpoint && !options.exporter) {
    throw new Error('startTracing needs an OTLP endpoint or an exporter');
  }
  if (registering) {
    const existing = await registering;
    return handle(options.serviceName, existing, false);
  }
  registering = register(options);
  try {
    active = await registering;
  } catch (error) {
    registering = undefined;
    throw error;
  }
  return handle(options.serviceName, active, true);
}

function handle(serviceName: string, registered: Registered, owner: boolean): Tracing {
  return {
    serviceName,
    registered: owner,
    forceFlush: () => registered.forceFlush(),
    shutdown: async () => {
      if (!owner || active !== registered) return;
      active = undefined;
      registering = undefined;
      await registered.shutdown();
    },
  };
}

/** The OTLP/HTTP traces URL of a base endpoint, as the OTLP exporter specification builds it. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

async function register(options: TracingOptions): Promise<Registered> {
  const [
    { NodeTracerProvider },
    { BatchSpanProcessor, SimpleSpanProcessor },
    { W3CTraceContextPropagator },
    resources,
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  let processor: SpanProcessor;
  if (options.exporter) {
    processor =
      options.processor === 'batch'
        ? new BatchSpanProcessor(options.exporter)
        : new SimpleSpanProcessor(options.exporter);
  } else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(options.endpoint!) }));
  }
  const { logger } = options;
  if (logger) {
    const warn = (message: string, ...args: unknown[]) =>
      logger.warn({ detail: args.map((arg) => String(arg)) }, `OpenTelemetry: ${message}`);
    const ignore = () => undefined;
    diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, DiagLogLevel.WARN);
  }
  const provider = new NodeTracerProvider({
    resource: resources.defaultResource().merge(
      resources.resourceFromAttributes({
        'service.name': options.serviceName,
        'service.instance.id': `${hostname()}-${process.pid}`,
      }),
    ),
    spanProcessors: [new ServiceAttribution(options.serviceName), processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    serviceName: options.serviceName,
    tracer: provider.getTracer(TRACER_NAME),
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
        if (logger) diag.disable();
      }
    },
  };
}

/**
 * Gives each span the service attribute: its own when it was started with one (a service's HTTP
 * server span), else its local parent's, else the provider's service. A parent extracted from a
 * `traceparent` header is remote and carries no attributes: the span under it starts a new
 * service's part of the trace, and sets its own.
 */
class ServiceAttribution implements SpanProcessor {
  constructor(private readonly serviceName: string) {}

  onStart(span: SdkSpan, parentContext: Context): void {
    if (span.attributes[SERVICE_ATTRIBUTE] !== undefined) return;
    const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
    const inherited = parent?.attributes?.[SERVICE_ATTRIBUTE];
    span.setAttribute(SERVICE_ATTRIBUTE, typeof inherited === 'string' ? inherited : this.serviceName);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** An exporter that keeps every span in memory (`getFinishedSpans()`), for tests. */
export async function createInMemorySpanExporter(): Promise<InMemorySpanExporter> {
  const { InMemorySpanExporter } = await import('@opentelemetry/sdk-trace-base');
  return new InMemorySpanExporter();
}

/** The span active here, if tracing is on and there is one. */
export function activeSpan(): Span | undefined {
  return active ? trace.getSpan(context.active()) : undefined;
}

/**
 * Starts a span under the active one (or as a root); the caller ends it. Undefined when tracing
 * is off, so that a caller skips its attribute work too.
 */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span | undefined {
  return active?.tracer.startSpan(name, { kind, attributes });
}

/**
 * Marks a span failed. Only the error's kind is recorded, never its message: a database's message
 * can quote the values of a row, and traces leave the process.
 */
export function failSpan(span: Span, error: unknown): void {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const kind =
    typeof code === 'string' || typeof code === 'number'
      ? String(code)
      : error instanceof Error
        ? error.name
        : typeof error;
  span.setAttribute('error.type', kind);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * Runs `fn` in a span that is active while it runs (its own spans and those of the libraries it
 * calls are under it) and ends when `fn`'s result settles; a throw or rejection marks it failed.
 * With tracing off, `fn` runs as it is, given no span.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span | undefined) => T,
  options: { kind?: SpanKind } = {},
): T {
  if (!active) return fn(undefined);
  return active.tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      failSpan(span, error);
      span.end();
      throw error;
    }
    // A thenable, not `instanceof Promise`: promises made by Node's own modules come from another
    // realm under Jest.
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    ) as T;
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Adds `traceparent` (and `tracestate`) for `span`, or the active span, to outgoing headers: the
 * receiving service continues the same trace. Nothing when tracing is off.
 */
export function injectTraceContext(headers: Record<string, string>, span?: Span): Record<string, string> {
  if (!active) return headers;
  const from = span ? trace.setSpan(context.active(), span) : context.active();
  propagation.inject(from, headers);
  return headers;
}

/** The context an incoming request's `traceparent` names (the root context without one, or with tracing off). */
export function extractTraceContext(headers: IncomingHttpHeaders): Context {
  if (!active) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers);
}

const SERVER_CONTEXT = 'telemetryServerContext';

/**
 * A server span per HTTP request on a route, in two middlewares. `start`, first on the route,
 * opens the span (under the caller's `traceparent`, if any) when the request arrives and ends it
 * when the answer is sent, with its status. `activate`, last before the handler, makes it the
 * active span again: middlewares that wait on the request body resume from the socket's own
 * context, not the request's, so without this the handler's spans would lose their parent.
 */
export function httpServerSpans(service: string, route: string): { start: RequestHandler; activate: RequestHandler } {
  const start: RequestHandler = (req, res, next) => {
    if (!active) {
      next();
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = active.tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { [SERVICE_ATTRIBUTE]: service, 'http.request.method': req.method, 'http.route': route },
      },
      parent,
    );
    const spanContext = trace.setSpan(parent, span);
    res.locals[SERVER_CONTEXT] = spanContext;
    let ended = false;
    const end = (completed: boolean) => {
      if (ended) return;
      ended = true;
      span.setAttribute('http.response.status_code', res.statusCode);
      if (!completed) span.setAttribute('error.type', 'aborted');
      if (!completed || res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', () => end(true));
    // 'close' without 'finish': the client went away before the answer was sent.
    res.once('close', () => end(false));
    context.with(spanContext, next);
  };
  const activate: RequestHandler = (_req, res, next) => {
    const spanContext = res.locals[SERVER_CONTEXT] as Context | undefined;
    if (spanContext === undefined) {
      next();
      return;
    }
    context.with(spanContext, next);
  };
  return { start, activate };
}
