import { percentile } from './stats';

/**
 * One run of load: POST `body` to `url` from `connections` connections, without a pause, for
 * `warmupSeconds` and then `durationSeconds`; only the second part is measured.
 */
export interface LoadRequest {
  id: number;
  url: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  timeoutSeconds: number;
  headers: Record<string, string>;
  body: string;
}

/** What the measured part of a run counted. */
export interface LoadSummary {
  seconds: number;
  /** Responses received (any status). */
  responses: number;
  /** 2xx responses without a GraphQL error: the answers the requests per second count. */
  ok: number;
  non2xx: number;
  /** 2xx responses whose body holds `errors`. */
  graphqlErrors: number;
  /** Connection errors (refused, reset) other than timeouts. */
  socketErrors: number;
  timeouts: number;
  /** Answers without an error per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Mean bytes of a response (headers and body). */
  bytesPerResponse: number;
  /** The first response with a GraphQL error, cut short, to show what went wrong. */
  errorSample?: string;
}

/** The load generator's messages: ready; the measured part begins, ends; the run's summary, or its failure. */
export type LoadGeneratorMessage =
  | { ready: true }
  | { id: number; window: 'start' | 'end' }
  | { id: number; summary: LoadSummary }
  | { id: number; error: string };

/** What the load generator counts while the measured part lasts. */
export interface WindowCounts {
  seconds: number;
  /** Each response's status and latency (ms), in the order they came. */
  statuses: number[];
  latenciesMs: number[];
  bytes: number;
  graphqlErrors: number;
  socketErrors: number;
  timeouts: number;
  errorSample?: string;
}

/** A run's summary from what was counted in its measured part. */
export function summarizeWindow(counts: WindowCounts): LoadSummary {
  const responses = counts.statuses.length;
  const ok2xx = counts.statuses.filter((status) => status >= 200 && status < 300).length;
  const ok = Math.max(0, ok2xx - counts.graphqlErrors);
  const sorted = [...counts.latenciesMs].sort((a, b) => a - b);
  const round = (ms: number | undefined) => (ms === undefined ? Number.NaN : Math.round(ms * 10) / 10);
  return {
    seconds: counts.seconds,
    responses,
    ok,
    non2xx: responses - ok2xx,
    graphqlErrors: counts.graphqlErrors,
    socketErrors: counts.socketErrors,
    timeouts: counts.timeouts,
    rps: counts.seconds > 0 ? ok / counts.seconds : 0,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1)),
    bytesPerResponse: responses > 0 ? counts.bytes / responses : 0,
    ...(counts.errorSample !== undefined ? { errorSample: counts.errorSample } : {}),
  };
}

/** All errors of a run: non-2xx, GraphQL errors in 2xx answers, connection errors and timeouts. */
export const errorCount = (summary: LoadSummary): number =>
  summary.non2xx + summary.graphqlErrors + summary.socketErrors + summary.timeouts;
