import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  BoundedLabelValues,
  counter,
  histogram,
  metricsRegistry,
  REQUEST_SECONDS_BUCKETS,
  type Counter,
  type Histogram,
  type Registry,
} from './metrics';
import { activeSpan } from './tracing';

/** How a GraphQL request ended, as the audit trail classifies it too. */
export type GraphQLOutcome = 'OK' | 'PARTIAL' | 'REFUSED' | 'ERROR';

/** Codes that mean the request was refused rather than failed. */
const REFUSAL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'UNAUTHORIZED_FIELD_OR_TYPE',
  'FORBIDDEN',
  'RATE_LIMITED',
  // The query limits (gateway/src/limits.ts and graphqlOverHttp.ts): refused before anything ran.
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'DIRECTIVE_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'FIELD_LIMIT_EXCEEDED',
  'INTROSPECTION_LIMIT_EXCEEDED',
  'INTROSPECTION_DEPTH_LIMIT_EXCEEDED',
  'COST_ESTIMATED_TOO_EXPENSIVE',
  'BATCH_LIMIT_EXCEEDED',
  'JSON_DEPTH_LIMIT_EXCEEDED',
  'BODY_TOO_LARGE',
  // The persisted-operation safelist (gateway/src/safelist.ts): refused before anything ran.
  'PERSISTED_QUERY_NOT_IN_LIST',
  'QUERY_NOT_IN_SAFELIST',
]);

/**
 * How a GraphQL answer ended: REFUSED when any error refused something (parse, validation, a
 * query limit, persisted query, authentication, authorization, rate limit) — even if other fields
 * were answered — or when variables were refused before execution (BAD_USER_INPUT without
 * `data`), the reason being the refusing codes; otherwise PARTIAL with data and errors, ERROR
 * without data, the reason being the codes; OK without errors. The one rule of the metrics of
 * every service and of the gateway's audit events.
 */
export function classifyGraphQLOutcome(
  codes: readonly string[],
  executed: boolean,
  hasData: boolean,
): { outcome: GraphQLOutcome; reason: string | null } {
  if (codes.length === 0) return { outcome: 'OK', reason: null };
  const distinct = [...new Set(codes)];
  const refusing = distinct.filter((code) => REFUSAL_CODES.has(code) || (!executed && code === 'BAD_USER_INPUT'));
  if (refusing.length > 0) return { outcome: 'REFUSED', reason: refusing.join(', ') };
  return { outcome: hasData ? 'PARTIAL' : 'ERROR', reason: distinct.join(', ') };
}

/** The outcome alone (`classifyGraphQLOutcome`). */
export function graphqlOutcome(codes: readonly string[], executed: boolean, hasData: boolean): GraphQLOutcome {
  return classifyGraphQLOutcome(codes, executed, hasData).outcome;
}

/** The `operation` label of a request whose operation was never resolved (refused before, or not parsed). */
export const NO_OPERATION = '(none)';
/** The `operation` label of an operation without a name. */
export const ANONYMOUS_OPERATION = '(anonymous)';

/** Distinct operation names per service before the rest count as `(other)`. */
const OPERATION_LABEL_LIMIT = 200;
/** Distinct error codes per service (ours, Apollo's, a subgraph's) before the rest count as `(other)`. */
const CODE_LABEL_LIMIT = 50;

/** What every GraphQL service (the gateway, each subgraph) records of each request. */
export interface GraphQLRequestMetrics {
  /** One request: its operation (a name, `(anonymous)` or `(none)`), outcome, duration and error codes. */
  record(operation: string, outcome: GraphQLOutcome, seconds: number, codes: readonly string[]): void;
}

interface GraphQLMetricFamilies {
  requests: Counter<'service' | 'operation' | 'outcome'>;
  duration: Histogram<'service' | 'operation'>;
  errors: Counter<'service' | 'code'>;
}

/** The three metrics (README, Telemetry), shared by every service of a registry. */
function graphqlMetricFamilies(registry: Registry): GraphQLMetricFamilies {
  return {
    requests: counter(registry, {
      name: 'graphql_requests_total',
      help: 'GraphQL requests answered, by service, operation name and outcome (OK, PARTIAL, REFUSED, ERROR)',
      labelNames: ['service', 'operation', 'outcome'],
    }),
    duration: histogram(registry, {
      name: 'graphql_request_duration_seconds',
      help: 'Time from a GraphQL request reaching the GraphQL server to its answer, by service and operation name',
      labelNames: ['service', 'operation'],
      buckets: REQUEST_SECONDS_BUCKETS,
    }),
    errors: counter(registry, {
      name: 'graphql_errors_total',
      help: 'Errors in GraphQL answers, by service and extensions.code (one per error)',
      labelNames: ['service', 'code'],
    }),
  };
}

export function graphqlRequestMetrics(service: string, registry: Registry = metricsRegistry()): GraphQLRequestMetrics {
  const { requests, duration, errors } = graphqlMetricFamilies(registry);
  const operations = new BoundedLabelValues(OPERATION_LABEL_LIMIT);
  const codeLabels = new BoundedLabelValues(CODE_LABEL_LIMIT);
  return {
    record: (operation, outcome, seconds, codes) => {
      const label = operations.of(operation);
      requests.inc({ service, operation: label, outcome });
      duration.observe({ service, operation: label }, seconds);
      for (const code of codes) errors.inc({ service, code: codeLabels.of(code) });
    },
  };
}

/**
 * Records every request an ApolloServer answers (`graphqlRequestMetrics`), timed from the
 * moment it reaches Apollo, and names its operation and outcome on the active span (the
 * request's HTTP server span, `httpServerSpans`).
 */
export function graphqlTelemetryPlugin(
  metrics: GraphQLRequestMetrics,
  options: { now?: () => number } = {},
): ApolloServerPlugin<BaseContext> {
  const now = options.now ?? (() => performance.now());
  return {
    requestDidStart: () => {
      const started = now();
      return Promise.resolve({
        willSendResponse: (context) => {
          const body = context.response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const codes = (result.errors ?? []).map((error) => {
            const code = error.extensions?.['code'];
            return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
          });
          const executed = 'data' in result && result.data !== undefined;
          const outcome = graphqlOutcome(codes, executed, result.data != null);
          const operation = context.operation ? (context.operationName ?? ANONYMOUS_OPERATION) : NO_OPERATION;
          metrics.record(operation, outcome, (now() - started) / 1000, codes);
          activeSpan()?.setAttributes({
            'graphql.operation.name': operation,
            ...(context.operation ? { 'graphql.operation.type': context.operation.operation } : {}),
            'graphql.outcome': outcome,
          });
          return Promise.resolve();
        },
      });
    },
  };
}
