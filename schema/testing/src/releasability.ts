import type { BaseContext } from '@apollo/server';
import { ANONYMOUS, recordedByOf, releasableFor, type Caller, type Releasability } from '@bicentennial/schema';
import type { PrismaLike, RawSql } from '@bicentennial/subgraph-kit';
import { describeOn, TEST_DATABASES, type TestDatabaseKind } from './postgres';
import type { RecordTypeCase } from './records';
import { startTestSubgraph, TEST_CALLER, TEST_CALLER_MX, type SubgraphModule, type TestSubgraph } from './subgraph';

/** What the write layer stores as `recordedBy` for a write by `TEST_CALLER` (`test-writer@TEST`). */
export const TEST_RECORDED_BY = recordedByOf(TEST_CALLER);

/**
 * The Prisma condition for the rows `caller` (default `TEST_CALLER`, a U.S. caller) may read:
 * for counting, on the test's unnarrowed client, what the subgraph should answer that caller.
 */
export function releasedTo(caller: Caller = TEST_CALLER): { releasableTo: { in: Releasability[] } } {
  return { releasableTo: { in: releasableFor(caller) } };
}

/** Whether a row's `releasableTo` lets `caller` (default `TEST_CALLER`) read it. */
export function visibleTo(row: { releasableTo: string }, caller: Caller = TEST_CALLER): boolean {
  return (releasableFor(caller) as string[]).includes(row.releasableTo);
}

/**
 * One agency record type, as the releasability suite writes and reads it: written through the
 * mutations its `RecordTypeCase` names (records.ts), read through its root list, the child pages
 * of parents every row the suite writes belongs to, and its single-record query if it has one.
 */
export interface ReleasabilityRecordCase {
  /** How a row is written; its `keyField` is also the node field that names a row in answers. */
  record: RecordTypeCase;
  /** The root connection of the type (`drugSeizures`), read without filters. */
  list: string;
  /**
   * The aggregates beside the list (`drugSeizureAggregates`, README, Aggregates), read without
   * filters: its counts must be the list's rows for every caller.
   */
  aggregate: string;
  /** Connections of parents the suite's rows all belong to (`JointObjective` 2.3.3 `drugSeizures`). */
  children: { typename: string; key: Record<string, string>; field: string }[];
  /** The query of one record by its key (`programme(recordId: String!)`), where there is one. */
  byId?: { field: string; argument: string; type: string };
  /** Official statistics anyone may read (what is released to both); otherwise refused anonymously. */
  public?: boolean;
  /** Changes to every row the suite writes (a status a status move can start from). */
  start?: Record<string, unknown>;
}

/** A status move of one of the record cases (`updateTraffickingCaseStatus`), allowed from its `start`. */
export interface ReleasabilityStatusMove {
  /** The `record.type` of the case it moves. */
  type: string;
  mutation: string;
  /** The GraphQL enum of the mutation's `status`, the result's field and the column holding it. */
  statusType: string;
  statusField: string;
  statusColumn: string;
  to: { status: string; on: string };
}

/**
 * Seeded rows (public statistics, reference lists) read through a query: the suite releases one
 * row to the United States only and one to Mexico only for the test, and puts them back after.
 */
export interface ReleasabilitySeededCase {
  name: string;
  table: string;
  /** SQL naming a row of `table` as text, the form `keys` gives (default `id::text`). */
  keySql?: string;
  /** The query that lists every row of the table. */
  query: string;
  keys(data: Record<string, unknown>): string[];
  /** Needs a verified caller: refused anonymously. */
  authenticated?: boolean;
}

/** `keys` for a query answering `{ rows: [{ <field> }] }`. */
export const rowKeys =
  (field = 'id') =>
  (data: Record<string, unknown>): string[] =>
    (data['rows'] as Record<string, unknown>[]).map((row) => String(row[field]));

type GraphQLErrors = readonly {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}[];
type Answer<T> = { data?: T | null; errors?: GraphQLErrors };
type Page = { totalCount: number; pageInfo?: { hasNextPage: boolean }; nodes: { key: string }[] };
type ImportAnswer = {
  received: number;
  inserted: number;
  alreadyPresent: number;
  dryRun: boolean;
  errors: { row: number; field: string | null; code: string; message: string }[];
};
type ObservationAnswer = { period: string; value: number; releasableTo: string; source: { id: string; kind: string } };

const codes = (answer: Answer<unknown>) => answer.errors?.map((e) => e.extensions?.['code']);
const fields = (answer: Answer<unknown>) =>
  answer.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']]);
const sorted = (keys: string[]) => [...keys].sort();

/** Who reads, and which `releasableTo` each may see: written out here, not taken from the code under test. */
const READERS = [
  { name: 'a U.S. caller', caller: TEST_CALLER, sees: ['US', 'BOTH'] },
  { name: 'a Mexican caller', caller: TEST_CALLER_MX, sees: ['MX', 'BOTH'] },
  { name: 'an anonymous caller', caller: ANONYMOUS, sees: ['BOTH'] },
] as const;
const REFUSED = 'UNAUTHORIZED_FIELD_OR_TYPE';
/** The message of a key held by a row the writer may not read (write.ts, keyInUse). */
const inUse = (): unknown => expect.stringMatching(/is already in use; choose another$/);

let keys = 0;
const submission = () => ({ idempotencyKey: `releasability-suite-${process.pid}-${++keys}-${Date.now()}` });

/**
 * Binational releasability, as every domain subgraph must enforce it, on the embedded database
 * and on a throwaway PostgreSQL database (skipped when PostgreSQL is not reachable, unless
 * REQUIRE_POSTGRES=true). With its record tables emptied, the suite writes, for each record type,
 * one row released to the United States and one to both (as a U.S. caller) and one released to
 * Mexico (as a Mexican caller), and indicator values of each kind plus one from a SYNTHETIC source;
 * then asks the same queries as a U.S. caller, a Mexican caller and anonymously and asserts the
 * exact rows and counts each is answered: root lists and their totals, child pages through
 * `_entities`, single records, indicator series and latest values, seeded statistics. Anonymous
 * callers are refused what the directives protect (UNAUTHORIZED_FIELD_OR_TYPE). Writes reveal
 * nothing either: a key held by a row the writer may not read is "already in use" (not already
 * present, not different data), a status move of such a row is NOT_FOUND as for a missing one,
 * another caller's idempotency key is not replayed, and a writer can only release a row to its
 * own country or both (BAD_USER_INPUT on releasableTo).
 */
export function releasabilitySuite<P extends PrismaLike & RawSql, C extends BaseContext>(options: {
  /** Names the describe blocks (`border-trade`). */
  name: string;
  module: SubgraphModule<P, C>;
  /** The domain in the shared mutations' names: `submit<Domain>Observation`, `register<Domain>Source`. */
  domain: string;
  /** An objective the subgraph owns, for the id of the suite's own indicator. */
  objectiveId: string;
  /** The subgraph's indicator type (default `<Domain>Indicator`). */
  indicatorType?: string;
  records: ReleasabilityRecordCase[];
  statusMoves?: ReleasabilityStatusMove[];
  seeded?: ReleasabilitySeededCase[];
}) {
  for (const database of TEST_DATABASES) {
    describeOn(database.kind)(`${options.name} releasability on ${database.name}`, () => {
      suiteOn(database.kind, options);
    });
  }
}

/** One row the suite wrote: the serial of its input, its key in answers, its releasability and input. */
interface Written {
  serial: number;
  key: string;
  releasableTo: Releasability;
  input: Record<string, unknown>;
}

function suiteOn<P extends PrismaLike & RawSql, C extends BaseContext>(
  kind: TestDatabaseKind,
  options: Parameters<typeof releasabilitySuite<P, C>>[0],
) {
  let subgraph: TestSubgraph<P>;
  const official = `releasability-suite-${options.name}`;
  const synthetic = `releasability-suite-${options.name}-synthetic`;
  const indicatorId = `${options.objectiveId}/releasability-suite`;
  const indicatorType = options.indicatorType ?? `${options.domain}Indicator`;
  /** Per record type: its rows released to US, MX and BOTH, and the US row's first write. */
  const rows = new Map<string, Record<Releasability, Written> & { usWrite: { input: unknown; key: string } }>();

  const run = <T>(query: string, variables: Record<string, unknown>, as: Caller) =>
    subgraph.execute<T>(query, variables, { as }) as Promise<Answer<T>>;
  const record = (c: RecordTypeCase, input: Record<string, unknown>, as: Caller, key = submission()) =>
    run<{ result: Record<string, unknown> }>(
      `#graphql
      mutation ($input: ${c.inputType}!, $submission: SubmissionInput!) {
        result: ${c.record}(input: $input, submission: $submission) { key: ${c.keyField} }
      }`,
      { input, submission: key },
      as,
    );
  const importRows = (
    mutation: string,
    inputType: string,
    input: Record<string, unknown>[],
    as: Caller,
    dryRun = false,
  ) =>
    run<{ result: ImportAnswer }>(
      `#graphql
      mutation ($rows: [${inputType}!]!, $dryRun: Boolean) {
        result: ${mutation}(rows: $rows, dryRun: $dryRun) { received inserted alreadyPresent dryRun errors { row field code message } }
      }`,
      { rows: input, dryRun },
      as,
    );
  /** The stored `releasableTo` and `recordedBy` of the rows under `serial`'s key. */
  const stored = async (c: RecordTypeCase, serial: number) => {
    const where = c.where(serial, official);
    const columns = Object.keys(where);
    return subgraph.prisma.$queryRawUnsafe<{ releasableTo: string; recordedBy: string }[]>(
      `SELECT "releasableTo"::text AS "releasableTo", "recordedBy" FROM "${c.table}"
       WHERE ${columns.map((column, i) => `"${column}"::text = $${i + 1}`).join(' AND ')}`,
      ...columns.map((column) => where[column]),
    );
  };
  const expectOk = (answer: Answer<unknown>, what: string) => {
    if (answer.errors) throw new Error(`${what}: ${answer.errors.map((e) => e.message).join('; ')}`);
  };
  const refused = (answer: Answer<unknown>) => {
    expect(codes(answer)).toEqual([REFUSED]);
    expect(answer.data ?? null).toBeNull();
  };

  // Indicator values: the periods tell them apart; each caller's latest is a different one.
  const values = [
    { period: '2001', releasableTo: 'BOTH', source: synthetic, by: TEST_CALLER },
    { period: '2002', releasableTo: 'BOTH', source: official, by: TEST_CALLER },
    { period: '2003', releasableTo: 'US', source: official, by: TEST_CALLER },
    { period: '2004', releasableTo: 'MX', source: official, by: TEST_CALLER_MX },
  ] as const;
  const observation = (period: string, releasableTo: string, sourceId: string) => ({
    indicatorId,
    period,
    periodKind: 'CALENDAR_YEAR',
    value: Number(period),
    region: 'MX',
    status: 'FINAL',
    sourceId,
    releasableTo,
  });

  beforeAll(async () => {
    subgraph = await startTestSubgraph(options.module, { on: kind });
    // Only the suite's rows: the seeded and synthetic records would blur the exact answers.
    for (const c of options.records) await subgraph.prisma.$executeRawUnsafe(`DELETE FROM "${c.record.table}"`);
    // Its headline: the suite's own sources (publisher 'Releasability suite'), calendar years, Mexico.
    await subgraph.prisma.$executeRawUnsafe(
      `INSERT INTO "Indicator" (id, "objectiveId", direction, "directionRuleEn", "directionRuleEs",
         "headlinePublisher", "headlinePeriodKind", "headlineRegion", "headlineDescriptionEn", "headlineDescriptionEs")
       VALUES ($1, $2, 'HIGHER_IS_BETTER', 'Test', 'Prueba', 'Releasability suite', 'CALENDAR_YEAR', 'MX', 'Test', 'Prueba')`,
      indicatorId,
      options.objectiveId,
    );
    for (const [id, sourceKind] of [
      [official, 'OFFICIAL'],
      [synthetic, 'SYNTHETIC'],
    ] as const) {
      expectOk(
        await run(
          `#graphql
          mutation ($input: SourceInput!, $submission: SubmissionInput!) {
            register${options.domain}Source(input: $input, submission: $submission) { id }
          }`,
          {
            input: { id, publisher: 'Releasability suite', title: `Test ${sourceKind} values`, kind: sourceKind },
            submission: submission(),
          },
          TEST_CALLER,
        ),
        `registering ${id}`,
      );
    }

    for (const c of options.records) {
      const input = (serial: number, releasableTo: Releasability): Record<string, unknown> => ({
        ...c.record.input(serial, 0, official),
        ...c.start,
        releasableTo,
      });
      const written = (serial: number, releasableTo: Releasability): Written => {
        const row = input(serial, releasableTo);
        return { serial, key: String(row[c.record.keyField]), releasableTo, input: row };
      };
      const us = written(1, 'US');
      const mx = written(2, 'MX');
      const both = written(3, 'BOTH');
      const usKey = submission();
      expectOk(await record(c.record, us.input, TEST_CALLER, usKey), `writing the US ${c.record.type}`);
      expectOk(await record(c.record, mx.input, TEST_CALLER_MX), `writing the MX ${c.record.type}`);
      const imported = await importRows(c.record.import!.mutation, c.record.inputType, [both.input], TEST_CALLER);
      expectOk(imported, `importing the BOTH ${c.record.type}`);
      expect(imported.data!.result).toMatchObject({ inserted: 1, errors: [] });
      rows.set(c.record.type, { US: us, MX: mx, BOTH: both, usWrite: { input: us.input, key: usKey.idempotencyKey } });
    }

    for (const value of values) {
      expectOk(
        await run(
          `#graphql
          mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
            submit${options.domain}Observation(input: $input, submission: $submission) { period }
          }`,
          { input: observation(value.period, value.releasableTo, value.source), submission: submission() },
          value.by,
        ),
        `submitting the ${value.period} value`,
      );
    }
  }, 180_000);
  afterAll(async () => {
    await subgraph?.close();
  });

  /** The keys of the rows of `type` that a reader who sees `sees` is answered, sorted. */
  const expected = (type: string, sees: readonly string[]) => {
    const written = rows.get(type)!;
    return sorted((['US', 'MX', 'BOTH'] as const).filter((r) => sees.includes(r)).map((r) => written[r].key));
  };

  for (const c of options.records) {
    const { type, keyField } = c.record;
    describe(type, () => {
      it(`answers each caller exactly the rows released to it in ${c.list} and its totalCount`, async () => {
        const query = `#graphql
          { list: ${c.list}(first: 100) { totalCount nodes { key: ${keyField} } } }`;
        for (const reader of READERS) {
          const answer = await run<{ list: Page }>(query, {}, reader.caller);
          if (reader.caller === ANONYMOUS && !c.public) {
            refused(answer);
            continue;
          }
          expect(answer.errors).toBeUndefined();
          const want = expected(type, reader.sees);
          expect([reader.name, sorted(answer.data!.list.nodes.map((n) => n.key))]).toEqual([reader.name, want]);
          expect([reader.name, answer.data!.list.totalCount]).toEqual([reader.name, want.length]);
        }
      });

      it(`counts in ${c.aggregate} exactly the rows released to each caller, as ${c.list} lists them`, async () => {
        const query = `#graphql
          { all: ${c.aggregate} { count } byStatus: ${c.aggregate}(groupBy: [STATUS]) { status count } }`;
        for (const reader of READERS) {
          if (reader.caller === ANONYMOUS && !c.public) {
            refused(await run(`{ all: ${c.aggregate} { count } }`, {}, reader.caller));
            continue;
          }
          const answer = await run<{ all: { count: number }[]; byStatus: { status: string; count: number }[] }>(
            query,
            {},
            reader.caller,
          );
          expect([reader.name, answer.errors]).toEqual([reader.name, undefined]);
          const want = expected(type, reader.sees).length;
          expect([reader.name, answer.data!.all]).toEqual([reader.name, [{ count: want }]]);
          const byStatus = answer.data!.byStatus;
          expect([reader.name, byStatus.reduce((sum, g) => sum + g.count, 0)]).toEqual([reader.name, want]);
          expect(new Set(byStatus.map((g) => g.status)).size).toBe(byStatus.length);
        }
      });

      for (const child of c.children) {
        it(`answers each caller exactly its rows in the ${child.typename} ${JSON.stringify(child.key)} ${child.field} page, its totalCount and hasNextPage`, async () => {
          // `first: 2`: a U.S. or Mexican caller has exactly two rows; a third one counted while
          // paging (the row released to the other country) would show as a next page.
          const query = `#graphql
            query ($representations: [_Any!]!) {
              _entities(representations: $representations) {
                ... on ${child.typename} {
                  page: ${child.field}(first: 100) { totalCount nodes { key: ${keyField} } }
                  probe: ${child.field}(first: 2) { totalCount pageInfo { hasNextPage } nodes { key: ${keyField} } }
                }
              }
            }`;
          const variables = { representations: [{ __typename: child.typename, ...child.key }] };
          for (const reader of READERS) {
            const answer = await run<{ _entities: { page: Page; probe: Page }[] }>(query, variables, reader.caller);
            if (reader.caller === ANONYMOUS && !c.public) {
              refused(answer);
              continue;
            }
            expect(answer.errors).toBeUndefined();
            const want = expected(type, reader.sees);
            const [{ page, probe }] = answer.data!._entities as [{ page: Page; probe: Page }];
            expect([reader.name, sorted(page.nodes.map((n) => n.key)), page.totalCount]).toEqual([
              reader.name,
              want,
              want.length,
            ]);
            expect([reader.name, probe.totalCount, probe.pageInfo!.hasNextPage, probe.nodes.length]).toEqual([
              reader.name,
              want.length,
              false,
              want.length,
            ]);
          }
        });
      }

      if (c.byId) {
        const byId = c.byId;
        it(`answers ${byId.field} by ${byId.argument} only for a row released to the caller`, async () => {
          const query = `#graphql
            query ($key: ${byId.type}) { record: ${byId.field}(${byId.argument}: $key) { key: ${keyField} } }`;
          const written = rows.get(type)!;
          for (const reader of READERS) {
            for (const releasableTo of ['US', 'MX', 'BOTH'] as const) {
              const { key } = written[releasableTo];
              const answer = await run<{ record: { key: string } | null }>(query, { key }, reader.caller);
              if (reader.caller === ANONYMOUS && !c.public) {
                refused(answer);
                continue;
              }
              expect(answer.errors).toBeUndefined();
              const want = (reader.sees as readonly string[]).includes(releasableTo) ? { key } : null;
              expect([reader.name, releasableTo, answer.data!.record]).toEqual([reader.name, releasableTo, want]);
            }
          }
        });
      }

      it('answers a key held by a row the writer may not read "already in use", and nothing else about it', async () => {
        const written = rows.get(type)!;
        const mutation = c.record.import!.mutation;
        // A Mexican caller reuses the key of the row released to the United States only.
        const mexican = { ...written.US.input, releasableTo: 'MX' };
        for (const dryRun of [true, false]) {
          const answer = await importRows(mutation, c.record.inputType, [mexican], TEST_CALLER_MX, dryRun);
          expect(answer.errors).toBeUndefined();
          expect(answer.data!.result).toEqual({
            received: 1,
            inserted: 0,
            alreadyPresent: 0,
            dryRun,
            errors: [{ row: 0, field: keyField, code: 'CONFLICT', message: inUse() }],
          });
          expect(answer.data!.result.errors[0]!.message).not.toMatch(/different data|already present/);
        }
        const single = await record(c.record, mexican, TEST_CALLER_MX);
        expect(codes(single)).toEqual(['CONFLICT']);
        expect(single.errors![0]!.message).toMatch(/already in use/);
        expect(single.errors![0]!.message).not.toMatch(/different data|already present/);
        expect(single.data ?? null).toBeNull();
        // And the reverse: a U.S. caller reusing the key of the row released to Mexico only.
        const american = { ...written.MX.input, releasableTo: 'US' };
        const reverse = await importRows(mutation, c.record.inputType, [american], TEST_CALLER);
        expect(reverse.data!.result.errors).toEqual([{ row: 0, field: keyField, code: 'CONFLICT', message: inUse() }]);
        expect(await stored(c.record, written.US.serial)).toEqual([
          { releasableTo: 'US', recordedBy: TEST_RECORDED_BY },
        ]);
        expect(await stored(c.record, written.MX.serial)).toEqual([
          { releasableTo: 'MX', recordedBy: recordedByOf(TEST_CALLER_MX) },
        ]);
      });

      it('answers a re-import of a row the writer may read as already present', async () => {
        const written = rows.get(type)!;
        const mutation = c.record.import!.mutation;
        const present = { received: 1, inserted: 0, alreadyPresent: 1, dryRun: false, errors: [] };
        const own = await importRows(mutation, c.record.inputType, [written.US.input], TEST_CALLER);
        expect(own.data!.result).toEqual(present);
        // The row released to both, written by the U.S. caller, is there for the Mexican caller too.
        const shared = await importRows(mutation, c.record.inputType, [written.BOTH.input], TEST_CALLER_MX);
        expect(shared.data!.result).toEqual(present);
      });

      it("does not replay another caller's idempotency key", async () => {
        const { usWrite } = rows.get(type)!;
        const replay = await record(c.record, usWrite.input as Record<string, unknown>, TEST_CALLER_MX, {
          idempotencyKey: usWrite.key,
        });
        expect(codes(replay)).toEqual(['CONFLICT']);
        expect(replay.errors![0]!.message).toMatch(/already used for a different request/);
        expect(replay.data ?? null).toBeNull();
        // The U.S. caller's own retry replays.
        const own = await record(c.record, usWrite.input as Record<string, unknown>, TEST_CALLER, {
          idempotencyKey: usWrite.key,
        });
        expect(own.errors).toBeUndefined();
      });

      it("refuses a row released outside the writer's country: BAD_USER_INPUT on releasableTo, nothing written", async () => {
        const serial = 4;
        const input = (releasableTo: string) => ({ ...c.record.input(serial, 0, official), ...c.start, releasableTo });
        const single = await record(c.record, input('MX'), TEST_CALLER);
        expect(fields(single)).toEqual([['BAD_USER_INPUT', 'input.releasableTo']]);
        expect(single.errors![0]!.message).toMatch(/US or BOTH/);
        const imported = await importRows(c.record.import!.mutation, c.record.inputType, [input('MX')], TEST_CALLER);
        expect(imported.data!.result).toMatchObject({
          inserted: 0,
          errors: [{ row: 0, field: 'releasableTo', code: 'BAD_USER_INPUT' }],
        });
        const mexican = await record(c.record, input('US'), TEST_CALLER_MX);
        expect(fields(mexican)).toEqual([['BAD_USER_INPUT', 'input.releasableTo']]);
        expect(mexican.errors![0]!.message).toMatch(/MX or BOTH/);
        expect(await stored(c.record, serial)).toEqual([]);
      });
    });
  }

  for (const s of options.statusMoves ?? []) {
    const c = options.records.find((r) => r.record.type === s.type);
    if (!c) throw new Error(`status move ${s.mutation}: no record case of type ${s.type}`);
    describe(`${s.type} status moves`, () => {
      const move = (recordId: string, as: Caller) =>
        run<{ result: Record<string, unknown> }>(
          `#graphql
          mutation ($recordId: ID!, $status: ${s.statusType}!, $on: Date!, $submission: SubmissionInput!) {
            result: ${s.mutation}(recordId: $recordId, status: $status, on: $on, submission: $submission) {
              recordId ${s.statusField}
            }
          }`,
          { recordId, ...s.to, submission: submission() },
          as,
        );
      const statusOf = async (recordId: string) =>
        (
          await subgraph.prisma.$queryRawUnsafe<{ status: string }[]>(
            `SELECT "${s.statusColumn}"::text AS status FROM "${c.record.table}" WHERE "recordId" = $1`,
            recordId,
          )
        )[0]?.status;

      it('answers NOT_FOUND, as for a record that does not exist, to a move of a record not released to the mover', async () => {
        const written = rows.get(s.type)!;
        for (const [hidden, mover] of [
          [written.US, TEST_CALLER_MX],
          [written.MX, TEST_CALLER],
        ] as const) {
          const before = await statusOf(hidden.key);
          const answer = await move(hidden.key, mover);
          expect(codes(answer)).toEqual(['NOT_FOUND']);
          expect(answer.data ?? null).toBeNull();
          const missing = await move(`${hidden.key}-MISSING`, mover);
          expect(answer.errors![0]!.message).toBe(
            missing.errors![0]!.message.replace(`${hidden.key}-MISSING`, hidden.key),
          );
          expect(await statusOf(hidden.key)).toBe(before);
          expect(before).not.toBe(s.to.status);
        }
        refused(await move(written.BOTH.key, ANONYMOUS));
        // The Mexican caller can move its own record: the refusal above was the releasability.
        const own = await move(written.MX.key, TEST_CALLER_MX);
        expect(own.errors).toBeUndefined();
        expect(own.data!.result).toEqual({ recordId: written.MX.key, [s.statusField]: s.to.status });
      });
    });
  }

  describe('indicator values', () => {
    const query = `#graphql
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on ${indicatorType} {
            series { period value releasableTo source { id kind } }
            latest { period value releasableTo source { id kind } }
          }
        }
      }`;
    const want = (period: string) => {
      const value = values.find((v) => v.period === period)!;
      const sourceId = value.source;
      return {
        period,
        value: Number(period),
        releasableTo: value.releasableTo,
        source: { id: sourceId, kind: sourceId === synthetic ? 'SYNTHETIC' : 'OFFICIAL' },
      };
    };
    const SEES = {
      'a U.S. caller': { series: ['2001', '2002', '2003'], latest: '2003' },
      'a Mexican caller': { series: ['2001', '2002', '2004'], latest: '2004' },
      // The public: only published (OFFICIAL) values released to both countries.
      'an anonymous caller': { series: ['2002'], latest: '2002' },
    } as const;

    it('answers each caller the series and latest value of the values released to it (anonymously, only OFFICIAL ones)', async () => {
      for (const reader of READERS) {
        const answer = await run<{ _entities: { series: ObservationAnswer[]; latest: ObservationAnswer | null }[] }>(
          query,
          { representations: [{ __typename: indicatorType, id: indicatorId }] },
          reader.caller,
        );
        expect(answer.errors).toBeUndefined();
        const sees = SEES[reader.name];
        expect([reader.name, answer.data!._entities[0]]).toEqual([
          reader.name,
          { series: sees.series.map(want), latest: want(sees.latest) },
        ]);
      }
    });

    it('answers a value key held by a value the writer may not read "already in use"; its own again as already present', async () => {
      const mutation = `import${options.domain}Observations`;
      const hidden = observation('2003', 'MX', official);
      const answer = await importRows(mutation, 'ObservationInput', [hidden], TEST_CALLER_MX);
      expect(answer.data!.result).toEqual({
        received: 1,
        inserted: 0,
        alreadyPresent: 0,
        dryRun: false,
        errors: [{ row: 0, field: 'indicatorId', code: 'CONFLICT', message: inUse() }],
      });
      const own = await importRows(mutation, 'ObservationInput', [observation('2003', 'US', official)], TEST_CALLER);
      expect(own.data!.result).toEqual({ received: 1, inserted: 0, alreadyPresent: 1, dryRun: false, errors: [] });
      const outside = await run(
        `#graphql
        mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
          submit${options.domain}Observation(input: $input, submission: $submission) { period }
        }`,
        { input: observation('2005', 'MX', official), submission: submission() },
        TEST_CALLER,
      );
      expect(fields(outside)).toEqual([['BAD_USER_INPUT', 'input.releasableTo']]);
      const [{ n }] = (await subgraph.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "Observation" WHERE "indicatorId" = $1`,
        indicatorId,
      )) as [{ n: number }];
      expect(n).toBe(values.length);
    });
  });

  for (const seeded of options.seeded ?? []) {
    it(`answers each caller only the ${seeded.name} rows released to it`, async () => {
      const keySql = seeded.keySql ?? 'id::text';
      const all = (
        await subgraph.prisma.$queryRawUnsafe<{ key: string; releasableTo: string }[]>(
          `SELECT ${keySql} AS key, "releasableTo"::text AS "releasableTo" FROM "${seeded.table}" ORDER BY 1`,
        )
      ).map((row) => row.key);
      expect(all.length).toBeGreaterThanOrEqual(2);
      const [usOnly, mxOnly] = [all[0]!, all[1]!];
      const release = (key: string, releasableTo: string) =>
        subgraph.prisma.$executeRawUnsafe(
          `UPDATE "${seeded.table}" SET "releasableTo" = '${releasableTo}' WHERE ${keySql} = $1`,
          key,
        );
      const before = await subgraph.prisma.$queryRawUnsafe<{ key: string; releasableTo: string }[]>(
        `SELECT ${keySql} AS key, "releasableTo"::text AS "releasableTo" FROM "${seeded.table}" WHERE ${keySql} = ANY($1::text[])`,
        [usOnly, mxOnly],
      );
      try {
        await release(usOnly, 'US');
        await release(mxOnly, 'MX');
        const hiddenFrom = {
          'a U.S. caller': [mxOnly],
          'a Mexican caller': [usOnly],
          'an anonymous caller': [usOnly, mxOnly],
        };
        for (const reader of READERS) {
          const answer = await run<Record<string, unknown>>(seeded.query, {}, reader.caller);
          if (reader.caller === ANONYMOUS && seeded.authenticated) {
            refused(answer);
            continue;
          }
          expect(answer.errors).toBeUndefined();
          const want = all.filter((key) => !hiddenFrom[reader.name].includes(key));
          expect([reader.name, sorted(seeded.keys(answer.data!))]).toEqual([reader.name, sorted(want)]);
        }
      } finally {
        for (const row of before) await release(row.key, row.releasableTo);
      }
    });
  }
}
