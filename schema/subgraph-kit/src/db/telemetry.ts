import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import {
  activeSpan,
  counter,
  gauge,
  histogram,
  metricsRegistry,
  SpanKind,
  STATEMENT_SECONDS_BUCKETS,
  withSpan,
  type Attributes,
  type Registry,
} from '@bicentennial/service';

/** Whose statements these are, for the metrics' labels and the spans' attributes. */
export interface SqlTelemetry {
  /** The subgraph the database belongs to (the `service` label). */
  service: string;
  /** The database's name (`db.namespace`), when it has one worth naming (PostgreSQL's). */
  database?: string;
}

/** The first keywords a statement summary keeps as its operation; any other is OTHER. */
const OPERATIONS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'WITH',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'SET',
  'SHOW',
  'LOCK',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'COPY',
  'VACUUM',
  'ANALYZE',
]);

/** Keywords a table name follows. */
const TARGET_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE']);

/** Words between such a keyword and the table (`FROM ONLY t`, `CREATE TABLE IF NOT EXISTS t`). */
const SKIPPED_BEFORE_TARGET = new Set(['ONLY', 'IF', 'NOT', 'EXISTS', 'LATERAL']);

/** Tables a summary names at most. */
const MAX_TARGETS = 5;

export interface StatementSummary {
  /** The statement's first keyword (SELECT, INSERT, …), or OTHER: the `operation` label. */
  operation: string;
  /** `operation` and the tables it names (`SELECT Goal CooperationArea`): no literal, no parameter. */
  summary: string;
}

/**
 * Strips what may hold a value — string literals (also E'…' and dollar-quoted), comments,
 * quoted identifiers kept whole — and splits the rest into words and punctuation.
 */
function tokens(sql: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'") {
      // '' inside a literal is a quote; E'…' literals also escape with a backslash.
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !/\w/.test(sql[i - 2] ?? '');
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      out.push("'?'");
      i = j + 1;
    } else if (c === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '')) {
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end === -1 ? sql.length : end + tag.length;
        out.push("'?'");
      } else i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      out.push(sql.slice(i, j + 1));
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[\w$]/.test(sql[j]!)) j++;
      out.push(sql.slice(i, j));
      i = j;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      // Numbers and parameters ($1) are values: left out. Punctuation is kept (a '(' after FROM is a subquery).
      if (/[().,;]/.test(c)) out.push(c);
      i++;
    }
  }
  return out;
}

const isIdentifier = (token: string) => token.startsWith('"') || /^[A-Za-z_]/.test(token);
const unquote = (token: string) => (token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token);

/** Summaries of the statements seen, by their text: Prisma sends the same few hundred texts again and again. */
const summaries = new Map<string, StatementSummary>();
const SUMMARY_CACHE_SIZE = 2000;
/** Longer texts (a bulk insert's thousands of placeholders) are summarised each time, not kept. */
const CACHED_TEXT_LENGTH = 4096;

/**
 * A statement's summary for metrics and spans (OpenTelemetry's `db.query.summary`): its first
 * keyword and the tables it reads or writes, schema names dropped. It never holds a literal or a
 * parameter value: those may be sensitive, and traces leave the process.
 */
export function summarizeStatement(sql: string): StatementSummary {
  const cached = summaries.get(sql);
  if (cached) return cached;
  const words = tokens(sql);
  const first = words[0]?.toUpperCase() ?? '';
  const operation = OPERATIONS.has(first) ? first : 'OTHER';
  const targets: string[] = [];
  for (let i = 0; i < words.length && targets.length < MAX_TARGETS; i++) {
    if (!TARGET_BEFORE.has(words[i]!.toUpperCase())) continue;
    let j = i + 1;
    while (j < words.length && SKIPPED_BEFORE_TARGET.has(words[j]!.toUpperCase())) j++;
    let target = words[j];
    if (target === undefined || !isIdentifier(target)) continue;
    // schema.table: the table.
    while (words[j + 1] === '.' && words[j + 2] !== undefined && isIdentifier(words[j + 2]!)) {
      j += 2;
      target = words[j]!;
    }
    const name = unquote(target);
    if (!targets.includes(name)) targets.push(name);
  }
  const summary: StatementSummary = {
    operation,
    summary: [operation === 'OTHER' ? first.slice(0, 30) || 'OTHER' : operation, ...targets].join(' ').slice(0, 255),
  };
  if (sql.length <= CACHED_TEXT_LENGTH) {
    if (summaries.size >= SUMMARY_CACHE_SIZE) summaries.clear();
    summaries.set(sql, summary);
  }
  return summary;
}

let statementMetricsOf: { registry: Registry; metrics: ReturnType<typeof createStatementMetrics> } | undefined;

function statementMetrics() {
  const registry = metricsRegistry();
  if (statementMetricsOf?.registry !== registry)
    statementMetricsOf = { registry, metrics: createStatementMetrics(registry) };
  return statementMetricsOf.metrics;
}

function createStatementMetrics(registry: Registry) {
  return {
    statements: counter(registry, {
      name: 'db_statements_total',
      help: 'SQL statements a subgraph sent to its database (Prisma and raw), by service, first keyword and outcome (ok, error)',
      labelNames: ['service', 'operation', 'outcome'],
    }),
    duration: histogram(registry, {
      name: 'db_statement_duration_seconds',
      help: 'Time from sending a SQL statement to its result, by service and first keyword',
      labelNames: ['service', 'operation'],
      buckets: STATEMENT_SECONDS_BUCKETS,
    }),
  };
}

/**
 * Runs one statement, counted and timed, in a span under the request's (`db.system`, the summary).
 */
export function observeStatement<T>(telemetry: SqlTelemetry, sql: string, run: () => Promise<T>): Promise<T> {
  const { operation, summary } = summarizeStatement(sql);
  const metrics = statementMetrics();
  const started = performance.now();
  const finish = (outcome: 'ok' | 'error') => {
    metrics.statements.inc({ service: telemetry.service, operation, outcome });
    metrics.duration.observe({ service: telemetry.service, operation }, (performance.now() - started) / 1000);
  };
  // Only under a request's span: a statement outside one (a probe, a migration) would be a trace of its own.
  const running =
    activeSpan() === undefined
      ? run()
      : withSpan(summary, statementAttributes(telemetry, operation, summary), run, { kind: SpanKind.CLIENT });
  return running.then(
    (result) => {
      finish('ok');
      return result;
    },
    (error: unknown) => {
      finish('error');
      throw error;
    },
  );
}

/**
 * OpenTelemetry's database attributes: `db.system` (and its newer name `db.system.name`, for
 * backends on either convention; PGlite is PostgreSQL too), the operation and the summary.
 */
function statementAttributes(telemetry: SqlTelemetry, operation: string, summary: string): Attributes {
  return {
    'db.system': 'postgresql',
    'db.system.name': 'postgresql',
    'db.operation.name': operation,
    'db.query.summary': summary,
    ...(telemetry.database ? { 'db.namespace': telemetry.database } : {}),
  };
}

/**
 * A driver adapter whose statements (`queryRaw`, `executeRaw`, in transactions too) are observed
 * (`observeStatement`); everything else passes through.
 */
export function observedAdapter(factory: SqlDriverAdapterFactory, telemetry: SqlTelemetry): SqlDriverAdapterFactory {
  const observe = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'queryRaw' || property === 'executeRaw') {
          return (query: { sql: string }) =>
            observeStatement(telemetry, query.sql, () =>
              (value as (q: unknown) => Promise<unknown>).call(object, query),
            );
        }
        if (property === 'startTransaction') {
          return async (...args: unknown[]) =>
            observe(await (value as (...a: unknown[]) => Promise<Transaction>).apply(object, args));
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => observe<SqlDriverAdapter>(await factory.connect()),
  };
}

/** What a connection pool says of itself (pg.Pool). */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/** Open PostgreSQL pools, read when /metrics is scraped. */
const pools = new Map<PoolCounts, { service: string; max: number }>();

function poolGauges(): void {
  const registry = metricsRegistry();
  const byService = () => {
    const totals = new Map<string, { idle: number; used: number; pending: number; max: number }>();
    for (const [pool, { service, max }] of pools) {
      const total = totals.get(service) ?? { idle: 0, used: 0, pending: 0, max: 0 };
      total.idle += pool.idleCount;
      total.used += pool.totalCount - pool.idleCount;
      total.pending += pool.waitingCount;
      total.max += max;
      totals.set(service, total);
    }
    return totals;
  };
  gauge(registry, {
    name: 'db_client_connection_count',
    help: 'PostgreSQL connections open in the subgraph process, by service and state (idle, used)',
    labelNames: ['service', 'state'],
    collect() {
      this.reset();
      for (const [service, total] of byService()) {
        this.set({ service, state: 'idle' }, total.idle);
        this.set({ service, state: 'used' }, total.used);
      }
    },
  });
  gauge(registry, {
    name: 'db_client_connection_pending_requests',
    help: 'Queries waiting for a PostgreSQL connection of the pool, by service',
    labelNames: ['service'],
    collect() {
      this.reset();
      for (const [service, total] of byService()) this.set({ service }, total.pending);
    },
  });
  gauge(registry, {
    name: 'db_client_connection_max',
    help: 'Most PostgreSQL connections the pools may open (DB_POOL_SIZE), by service',
    labelNames: ['service'],
    collect() {
      this.reset();
      for (const [service, total] of byService()) this.set({ service }, total.max);
    },
  });
}

/** Reports a pool in the connection gauges until the returned function is called (when it closes). */
export function watchPool(pool: PoolCounts, service: string, max: number): () => void {
  poolGauges();
  pools.set(pool, { service, max });
  return () => {
    pools.delete(pool);
  };
}
