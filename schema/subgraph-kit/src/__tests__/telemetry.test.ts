import {
  createInMemorySpanExporter,
  metricsRegistry,
  SERVICE_ATTRIBUTE,
  SpanKind,
  SpanStatusCode,
  startTracing,
  withSpan,
  type InMemorySpanExporter,
  type ReadableSpan,
  type Tracing,
} from '@bicentennial/service';
import { createThrowawayDatabase, describeOnPostgres } from '@bicentennial/testing';
import { openDatabase, type Database } from '../db/database';
import { summarizeStatement } from '../db/telemetry';
import { readSubgraphEnv } from '../subgraph/env';

/** The value of one series in the process's /metrics text, undefined if absent. */
async function seriesValue(series: string): Promise<number | undefined> {
  const text = await metricsRegistry().metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the telemetry settings of a subgraph', () => {
  const defaults = { port: 4004, pgliteDir: '/tmp/firearms' };

  it('has no metrics listener and no tracing unless told, and checks what it is told', () => {
    const unset = readSubgraphEnv(defaults, {});
    expect(unset.METRICS_PORT).toBeUndefined();
    expect(unset.METRICS_HOST).toBe('127.0.0.1');
    expect(unset.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(
      readSubgraphEnv(defaults, {
        METRICS_PORT: '9404',
        METRICS_HOST: '0.0.0.0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318',
        OTEL_SERVICE_NAME: 'firearms',
      }),
    ).toMatchObject({
      METRICS_PORT: 9404,
      METRICS_HOST: '0.0.0.0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318',
    });
    expect(() => readSubgraphEnv(defaults, { METRICS_PORT: 'nine' })).toThrow(
      'METRICS_PORT="nine": must be a port number',
    );
    expect(() => readSubgraphEnv(defaults, { OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT="grpc://collector:4317": must be an http:// or https:// URL',
    );
    expect(() => readSubgraphEnv(defaults, { METRICS_PORT: '4004' })).toThrow(
      'METRICS_PORT=4004: must differ from PORT (metrics have a listener of their own)',
    );
  });
});

describe('summarizeStatement', () => {
  it.each([
    [
      'SELECT "public"."Goal"."id", "public"."Goal"."titleEn" FROM "public"."Goal" WHERE 1=1 ORDER BY "public"."Goal"."id" ASC LIMIT $1 OFFSET $2',
      'SELECT',
      'SELECT Goal',
    ],
    [
      'SELECT t0.id FROM "public"."Observation" AS t0 LEFT JOIN "public"."Source" AS j1 ON (j1."id") = (t0."sourceId") WHERE t0."indicatorId" IN ($1,$2,$3)',
      'SELECT',
      'SELECT Observation Source',
    ],
    [
      'INSERT INTO "public"."DrugSeizure" ("id","recordId") VALUES ($1,$2) RETURNING "id"',
      'INSERT',
      'INSERT DrugSeizure',
    ],
    ['UPDATE "public"."ExtraditionCase" SET "status" = $1 WHERE "recordId" = $2', 'UPDATE', 'UPDATE ExtraditionCase'],
    ['DELETE FROM "public"."Submission" WHERE "createdAt" < $1', 'DELETE', 'DELETE Submission'],
    [
      'WITH page AS (SELECT * FROM "FirearmSeizure" WHERE "portId" = ANY($1)) SELECT count(*) FROM page',
      'WITH',
      'WITH FirearmSeizure page',
    ],
    ['CREATE TABLE IF NOT EXISTS "_prisma_migrations" (id TEXT)', 'CREATE', 'CREATE _prisma_migrations'],
    ['SELECT pg_advisory_lock($1)', 'SELECT', 'SELECT'],
    ['SELECT 1', 'SELECT', 'SELECT'],
    ['BEGIN', 'BEGIN', 'BEGIN'],
    ['  -- a comment first\n/* and another */ select * from only regions', 'SELECT', 'SELECT regions'],
    ['SELECT * FROM (SELECT id FROM "Port") AS p', 'SELECT', 'SELECT Port'],
    ['EXPLAIN SELECT 1', 'OTHER', 'EXPLAIN'],
  ])('%s', (sql, operation, summary) => {
    expect(summarizeStatement(sql)).toEqual({ operation, summary });
  });

  it('never keeps a literal, whatever its quoting', () => {
    const statements = [
      "SELECT * FROM \"Person\" WHERE name = 'Secret O''Name' AND alias = E'secret\\'s' AND note = $$secret$$",
      "INSERT INTO audit VALUES ($tag$secret ' text$tag$, 'secret', 12345)",
      "SELECT * FROM t WHERE x = 'secret -- not a comment' /* secret */",
    ];
    for (const sql of statements) {
      const { summary } = summarizeStatement(sql);
      expect(summary).not.toMatch(/secret|12345/i);
    }
    expect(summarizeStatement(statements[1]!).summary).toBe('INSERT audit');
  });
});

describe('statements of the embedded database', () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  let db: Database;

  beforeAll(async () => {
    exporter = await createInMemorySpanExporter();
    tracing = await startTracing({ serviceName: 'kit-test', exporter });
    db = await openDatabase({ kind: 'pglite', service: 'kit-pglite' });
    await db.withConnection((c) => c.exec('CREATE TABLE "Region" (code TEXT PRIMARY KEY, secret TEXT)'));
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await tracing?.shutdown();
  });
  beforeEach(() => exporter.reset());

  const sqlSpans = () => exporter.getFinishedSpans().filter((s) => s.attributes['db.system'] === 'postgresql');
  const statements = (operation: string, outcome: string) =>
    seriesValue(`db_statements_total{service="kit-pglite",operation="${operation}",outcome="${outcome}"}`);

  it('traces each raw statement under the request’s span, with the summary and no value', async () => {
    await withSpan('request', { [SERVICE_ATTRIBUTE]: 'framework' }, () =>
      db.withConnection(async (c) => {
        await c.query('INSERT INTO "Region" (code, secret) VALUES ($1, $2)', ['MX-SON', 'hidden value']);
        await c.query('SELECT code FROM "Region" WHERE secret <> \'hidden literal\'');
      }),
    );
    const request = exporter.getFinishedSpans().find((s) => s.name === 'request')!;
    const spans = sqlSpans();
    expect(spans.map((s) => s.name)).toEqual(['INSERT Region', 'SELECT Region']);
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(span.attributes[SERVICE_ATTRIBUTE]).toBe('framework');
      expect(span.attributes['db.query.summary']).toBe(span.name);
      expect(span.attributes['db.system.name']).toBe('postgresql');
    }
    expect(spans[0]!.attributes['db.operation.name']).toBe('INSERT');
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toMatch(/hidden|MX-SON/);
  });

  it('traces Prisma’s statements through the driver adapter, in a transaction too', async () => {
    const adapter = await db.adapter.connect();
    await withSpan('request', {}, async () => {
      await adapter.queryRaw({ sql: 'SELECT code FROM "Region"', args: [], argTypes: [] });
      const transaction = await adapter.startTransaction();
      await transaction.executeRaw({ sql: 'UPDATE "Region" SET secret = $1', args: ['x'], argTypes: [] });
      await transaction.commit();
    });
    const request = exporter.getFinishedSpans().find((s) => s.name === 'request')!;
    expect(sqlSpans().map((s) => [s.name, s.parentSpanContext?.spanId])).toEqual([
      ['SELECT Region', request.spanContext().spanId],
      ['UPDATE Region', request.spanContext().spanId],
    ]);
  });

  it('counts and times every statement, and traces none outside a request', async () => {
    const before = (await statements('SELECT', 'ok')) ?? 0;
    const timedBefore =
      (await seriesValue('db_statement_duration_seconds_count{service="kit-pglite",operation="SELECT"}')) ?? 0;
    await db.withConnection((c) => c.query('SELECT count(*) FROM "Region"'));
    const adapter = await db.adapter.connect();
    await adapter.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] });
    expect(await statements('SELECT', 'ok')).toBe(before + 2);
    expect(await seriesValue('db_statement_duration_seconds_count{service="kit-pglite",operation="SELECT"}')).toBe(
      timedBefore + 2,
    );
    expect(sqlSpans()).toEqual([]);
  });

  it('counts a failed statement as an error and marks its span failed with the SQLSTATE only', async () => {
    const before = (await statements('SELECT', 'error')) ?? 0;
    await expect(
      withSpan('request', {}, () => db.withConnection((c) => c.query('SELECT * FROM "NoSuchTable"'))),
    ).rejects.toThrow(/NoSuchTable/);
    expect(await statements('SELECT', 'error')).toBe(before + 1);
    const [failed] = sqlSpans() as [ReadableSpan];
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('42P01');
    expect(JSON.stringify([failed.attributes, failed.status, failed.events])).not.toMatch(/does not exist/);
  });

  it('has no connection metrics: PGlite is one connection in the process, without a pool', async () => {
    expect(await seriesValue('db_client_connection_max{service="kit-pglite"}')).toBeUndefined();
  });
});

describeOnPostgres()('the PostgreSQL pool', () => {
  it('reports its connections (idle, used), the queries waiting for one, and its size', async () => {
    const throwaway = await createThrowawayDatabase();
    const db = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 2, service: 'kit-postgres' });
    const connections = (state: string) =>
      seriesValue(`db_client_connection_count{service="kit-postgres",state="${state}"}`);
    try {
      expect(await seriesValue('db_client_connection_max{service="kit-postgres"}')).toBe(2);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Both connections held, and a third query waiting for one of them.
      const holders = [0, 1].map(() => db.withConnection(async (c) => c.query('SELECT 1').then(() => held)));
      for (let waited = 0; (await connections('used')) !== 2 && waited < 10_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const waiting = db.withConnection((c) => c.query('SELECT 2'));
      for (
        let waited = 0;
        (await seriesValue('db_client_connection_pending_requests{service="kit-postgres"}')) !== 1 && waited < 10_000;
        waited += 20
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await connections('used')).toBe(2);
      expect(await seriesValue('db_client_connection_pending_requests{service="kit-postgres"}')).toBe(1);
      release();
      await Promise.all([...holders, waiting]);
      expect(await connections('used')).toBe(0);
      expect(await connections('idle')).toBe(2);
      expect(await seriesValue('db_client_connection_pending_requests{service="kit-postgres"}')).toBe(0);
    } finally {
      await db.close();
      await throwaway.drop();
    }
    // A closed pool is no longer reported.
    expect(await seriesValue('db_client_connection_max{service="kit-postgres"}')).toBeUndefined();
  });
});
