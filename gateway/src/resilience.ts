import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleAll,
  type CircuitBreakerPolicy,
  type IBackoff,
} from 'cockatiel';
import { Kind, OperationTypeNode, parse, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';

/** A breaker's state as `/status/subgraphs` and the metrics name it. */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** How the gateway guards its calls to each subgraph (README, Resilience). */
export interface ResilienceSettings {
  /** Most attempts of one read (a `query` fetch), the first included: 1 never retries. */
  retryAttempts: number;
  /** Scale of the exponential backoff: the first retry waits about this long (decorrelated jitter). */
  retryBackoffMs: number;
  /** Retries a subgraph may take over the budget's window, in percent of the requests sent to it. */
  retryBudgetPercent: number;
  /** Retries allowed in any window whatever the traffic, so that a quiet gateway still retries a blip. */
  retryBudgetMin: number;
  /** The budget's sliding window (default 10 s). */
  retryBudgetWindowMs?: number | undefined;
  /**
   * Longest one attempt waits. Unset: the whole deadline (SUBGRAPH_TIMEOUT_MS), so a read that
   * timed out has no time left to be retried; shorter, a hung attempt is retried within the deadline.
   */
  attemptTimeoutMs?: number | undefined;
  /** Failures in a row (network error, timeout, HTTP 5xx) that open a subgraph's circuit. */
  breakerThreshold: number;
  /** How long an open circuit fails fast before one request probes the subgraph. */
  breakerHalfOpenAfterMs: number;
  /**
   * Told of every change of a subgraph's circuit, and once with `closed` when its breaker is made
   * (so that a gauge starts at a value). Called synchronously: keep it cheap and never throw.
   */
  onBreakerStateChange?: ((subgraph: string, state: CircuitStateName) => void) | undefined;
}

/** Whether a subgraph fetch may be sent twice: only a document of `query` operations reads and nothing else. */
export type FetchKind = 'read' | 'write';

/** The answers worth another attempt: a proxy or the subgraph saying it cannot serve right now. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
/** An attempt with less time than this before the deadline is not started. */
const MIN_ATTEMPT_MS = 20;
/** Budget windows are counted in this many slices (a window slides by a tenth of itself). */
const BUDGET_SLICES = 10;
const DEFAULT_BUDGET_WINDOW_MS = 10_000;
/** Fetch documents whose kind is remembered: the query planner reuses one string per fetch of a cached plan. */
const MAX_REMEMBERED_KINDS = 1_000;

const rememberedKinds = new Map<string, FetchKind>();

function kindOfDocument(document: DocumentNode): FetchKind {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length > 0 && operations.every((o) => o.operation === OperationTypeNode.QUERY) ? 'read' : 'write';
}

/**
 * What a subgraph fetch does, from the fetch's own document: the gateway sends a mutation's
 * root fields as a `mutation` fetch (never retried) and the entity reads around it as `query`
 * fetches. @apollo/gateway hands the parsed document only when its planner is told to expose
 * it, so the text is parsed (once per distinct fetch). A document that does not parse is a write:
 * nothing is retried on a guess.
 */
export function fetchKind(query: string | undefined, document?: DocumentNode): FetchKind {
  if (document) return kindOfDocument(document);
  if (!query) return 'write';
  let kind = rememberedKinds.get(query);
  if (kind === undefined) {
    try {
      kind = kindOfDocument(parse(query, { noLocation: true }));
    } catch {
      kind = 'write';
    }
    if (rememberedKinds.size >= MAX_REMEMBERED_KINDS) {
      const oldest = rememberedKinds.keys().next();
      if (!oldest.done) rememberedKinds.delete(oldest.value);
    }
    rememberedKinds.set(query, kind);
  }
  return kind;
}

/**
 * A retry budget (as Finagle's and Envoy's): over a sliding window, a subgraph's retries may be at
 * most `percent` of the requests sent to it, plus `minPerWindow`. When a subgraph fails every
 * request, retries add at most that share to its load instead of multiplying it by the attempts.
 */
export class RetryBudget {
  private readonly sliceMs: number;
  private readonly slices = Array.from({ length: BUDGET_SLICES }, () => ({ index: -1, requests: 0, retries: 0 }));

  constructor(
    private readonly percent: number,
    private readonly minPerWindow: number,
    windowMs: number = DEFAULT_BUDGET_WINDOW_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sliceMs = windowMs / BUDGET_SLICES;
  }

  /** A first attempt was sent. */
  recordRequest(): void {
    this.current().requests += 1;
  }

  /** Takes one retry from the budget; false (and nothing taken) when the window's share is spent. */
  tryRetry(): boolean {
    const index = Math.floor(this.now() / this.sliceMs);
    let requests = 0;
    let retries = 0;
    for (const slice of this.slices) {
      if (slice.index > index - BUDGET_SLICES) {
        requests += slice.requests;
        retries += slice.retries;
      }
    }
    // Whole numbers: retries + 1 ≤ min + requests × percent / 100, without rounding.
    if ((retries + 1 - this.minPerWindow) * 100 > requests * this.percent) return false;
    this.current().retries += 1;
    return true;
  }

  private current() {
    const index = Math.floor(this.now() / this.sliceMs);
    const slice = this.slices[index % BUDGET_SLICES]!;
    if (slice.index !== index) Object.assign(slice, { index, requests: 0, retries: 0 });
    return slice;
  }
}

/** A fetch refused without a network attempt: the subgraph's circuit is open (or a probe is out). */
export class SubgraphCircuitOpenError extends Error {
  constructor(
    readonly subgraph: string,
    /** About when the next probe may go, in ms from now (0: a probe is in flight). */
    readonly probeInMs: number,
  ) {
    super(`the ${subgraph} subgraph's circuit is open`);
    this.name = 'SubgraphCircuitOpenError';
  }
}

/** What one fetch went through, for the data source's error and log. */
export interface FetchRecord {
  /** Attempts sent to the network. */
  attempts: number;
  /** The timeout of the last attempt (how long "no answer within" was). */
  attemptTimeoutMs: number;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

const isServerError = (result: unknown) => {
  const status = (result as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 500;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One subgraph's circuit breaker and retry budget, shared by every fetch to it.
 *
 * The breaker is cockatiel's with a ConsecutiveBreaker: `threshold` failures in a row open it. A
 * subgraph that is down fails every request, which a run of failures shows at any traffic; a
 * SamplingBreaker decides on a failure rate only above a minimum request rate, so at the low and
 * bursty rates of dashboards and analysts it would open late or never. A subgraph that answers
 * some requests and fails others stays closed: retries and partial data serve it better than
 * refusing everything.
 *
 * The retries are a loop of their own over cockatiel's exponential backoff: cockatiel's
 * RetryPolicy decides from the error alone, and a retry here also needs the budget and the
 * time left before the deadline, asked before each retry rather than after its backoff.
 */
export class SubgraphGuard {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly budget: RetryBudget;
  private readonly backoff: ExponentialBackoff<unknown>;
  private readonly attemptTimeoutMs: number;
  private openedAt = 0;

  constructor(
    readonly subgraph: string,
    readonly url: string,
    private readonly settings: ResilienceSettings,
    /** The whole fetch's deadline, from its first attempt (SUBGRAPH_TIMEOUT_MS). */
    private readonly deadlineMs: number,
    private readonly logger: Logger,
    onStateChange: (state: CircuitStateName) => void,
  ) {
    this.attemptTimeoutMs = Math.min(settings.attemptTimeoutMs ?? deadlineMs, deadlineMs);
    this.budget = new RetryBudget(settings.retryBudgetPercent, settings.retryBudgetMin, settings.retryBudgetWindowMs);
    this.backoff = new ExponentialBackoff({
      initialDelay: settings.retryBackoffMs,
      maxDelay: settings.retryBackoffMs * 16,
      generator: decorrelatedJitterGenerator,
    });
    // Every thrown error counts (only the fetch and its body run inside), and so does a 5xx
    // answer; a 4xx answer is the subgraph working and refusing one request.
    this.breaker = circuitBreaker(handleAll.orWhenResult(isServerError), {
      halfOpenAfter: settings.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.breakerThreshold),
    });
    this.breaker.onStateChange((state) => {
      const name = STATE_NAMES[state];
      if (name === 'open') {
        this.openedAt = Date.now();
        this.logger.warn(
          { subgraph, threshold: settings.breakerThreshold, halfOpenAfterMs: settings.breakerHalfOpenAfterMs },
          'subgraph circuit open: its fetches fail at once until a probe succeeds',
        );
      } else if (name === 'half-open') {
        this.logger.info({ subgraph }, 'subgraph circuit half-open: one request probes it');
      } else {
        this.logger.info({ subgraph }, 'subgraph circuit closed');
      }
      onStateChange(name);
    });
    onStateChange('closed');
  }

  /**
   * Sends one fetch through the breaker, retrying a read that failed in a way worth retrying
   * (network error, timeout, HTTP 502/503/504) while attempts, budget and deadline allow. Returns
   * the last answer (a 5xx one included: the caller reports it) or throws the last error, or
   * SubgraphCircuitOpenError when nothing could be sent.
   */
  async fetch<T extends { status: number }>(
    kind: FetchKind,
    attempt: (signal: AbortSignal) => Promise<T>,
    record: FetchRecord,
  ): Promise<T> {
    const deadline = performance.now() + this.deadlineMs;
    let backoff: IBackoff<unknown> | undefined;
    let last: { result: T } | { error: unknown } | undefined;
    for (;;) {
      const left = record.attempts === 0 ? this.deadlineMs : Math.floor(deadline - performance.now());
      const timeoutMs = Math.max(1, Math.min(this.attemptTimeoutMs, left));
      const sendAttempt = () => {
        record.attempts += 1;
        record.attemptTimeoutMs = timeoutMs;
        return attempt(AbortSignal.timeout(timeoutMs));
      };
      let outcome: { result: T } | { error: unknown };
      try {
        outcome = { result: await this.send(sendAttempt, record.attempts === 0) };
      } catch (error) {
        // The circuit opened while this read waited for its retry: the last real failure stands.
        if (error instanceof SubgraphCircuitOpenError && last) break;
        if (error instanceof SubgraphCircuitOpenError) throw error;
        outcome = { error };
      }
      last = outcome;
      if (!this.worthRetrying(kind, outcome, record.attempts)) break;
      backoff = backoff ? backoff.next(undefined) : this.backoff.next();
      const delayMs = Math.round(backoff.duration);
      if (performance.now() + delayMs + MIN_ATTEMPT_MS > deadline) break;
      if (!this.budget.tryRetry()) {
        this.logger.debug({ subgraph: this.subgraph }, 'subgraph retry budget spent: not retried');
        break;
      }
      this.logger.debug({ subgraph: this.subgraph, attempt: record.attempts + 1, delayMs }, 'retrying a subgraph read');
      await sleep(delayMs);
    }
    if ('error' in last) throw last.error;
    return last.result;
  }

  private worthRetrying(
    kind: FetchKind,
    outcome: { result: { status: number } } | { error: unknown },
    attempts: number,
  ) {
    if (kind !== 'read' || attempts >= this.settings.retryAttempts) return false;
    // A retry would be refused by the breaker, or would be the half-open probe's second try.
    if (this.breaker.state !== CircuitState.Closed) return false;
    return 'error' in outcome || RETRYABLE_STATUSES.has(outcome.result.status);
  }

  private async send<T>(attempt: () => Promise<T>, first: boolean): Promise<T> {
    // Cockatiel makes every call that arrives while its half-open probe is out wait for the
    // probe (up to a whole timeout against a hung subgraph); failing them at once is the point.
    if (this.breaker.state === CircuitState.HalfOpen) throw new SubgraphCircuitOpenError(this.subgraph, 0);
    try {
      return await this.breaker.execute(() => {
        if (first) this.budget.recordRequest();
        return attempt();
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const probeInMs = Math.max(0, this.openedAt + this.settings.breakerHalfOpenAfterMs - Date.now());
        throw new SubgraphCircuitOpenError(this.subgraph, probeInMs);
      }
      throw error;
    }
  }
}

/** Guards by gateway (the key: an object that lives exactly as long as one gateway), then by subgraph. */
const guardsByGateway = new WeakMap<object, Map<string, SubgraphGuard>>();

/**
 * The guard of subgraph `name` at `url` in one gateway. @apollo/gateway builds new data sources
 * each time it takes a supergraph; the breaker and budget must outlive them (a reloaded file must
 * not close an open circuit), so they are kept per gateway and subgraph, and made anew only when
 * the subgraph moves to another URL.
 */
export function subgraphGuard(gateway: object, name: string, url: string, create: () => SubgraphGuard): SubgraphGuard {
  let guards = guardsByGateway.get(gateway);
  if (!guards) {
    guards = new Map();
    guardsByGateway.set(gateway, guards);
  }
  const known = guards.get(name);
  if (known && known.url === url) return known;
  const guard = create();
  guards.set(name, guard);
  return guard;
}
