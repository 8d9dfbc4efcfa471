import type { BaseContext } from '@apollo/server';
import pg from 'pg';
import {
  type RawSql,
  pruneSubmissions,
  configureWrites,
  transactions,
  type TransactionalClient,
  type WriteSettings,
  type PrismaLike,
} from '@bicentennial/subgraph-kit';
import { describeOn, TEST_DATABASES, type TestDatabaseKind } from './postgres';
import { TEST_RECORDED_BY } from './releasability';
import { startTestSubgraph, type SubgraphModule, type TestSubgraph } from './subgraph';

/**
 * One agency record type, as the shared records suite writes it: through its `record<Type>` and
 * `import<Types>` mutations, with inputs the suite can vary.
 */
export interface RecordTypeCase {
  /** The record type, in test names (`DrugSeizure`). */
  type: string;
  /** The single-record mutation (`recordDrugSeizure`) and its input type (`DrugSeizureInput`). */
  record: string;
  inputType: string;
  /** The import mutation and a change that makes a row invalid, with the field the error names. */
  import?: { mutation: string; invalid: { change: Record<string, unknown>; field: string } };
  /** Where the rows are stored, and the input field that holds the natural key (`recordId`). */
  table: string;
  keyField: string;
  /**
   * A valid input: its natural key from `serial` (the suite never reuses one), its data from
   * `variant` (0 to 9 give ten different records under the one key), naming the suite's source.
   */
  input(serial: number, variant: number, sourceId: string): Record<string, unknown>;
  /** The stored row's natural key columns for an input of `serial`, as text. */
  where(serial: number, sourceId: string): Record<string, string>;
  /** A field of the result and the column behind it that tell the variants apart. */
  varies: { field: string; column: string; value(variant: number): string | number };
}

/** A record type whose status moves (`updateTraffickingCaseStatus`), from a status with two final moves. */
export interface StatusMoveCase {
  type: string;
  mutation: string;
  /** The GraphQL enum of the mutation's `status` argument. */
  statusType: string;
  /** The field of the result, and the column, that hold the status. */
  statusField: string;
  statusColumn: string;
  /** How a case is recorded, and the change that puts it at the start status. */
  record: RecordTypeCase;
  start: Record<string, unknown>;
  /** Two moves allowed from the start status, each to a final status. */
  moves: [{ status: string; on: string }, { status: string; on: string }];
}

type Problem = { row: number; field: string | null; code: string; message: string };
type ImportAnswer = {
  received: number;
  inserted: number;
  alreadyPresent: number;
  dryRun: boolean;
  errors: Problem[];
};
type Answer<T> = {
  data?: { result: T } | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
};

const code = (answer: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  answer.errors?.map((e) => e.extensions?.['code']);

let keys = 0;
/** A SubmissionInput: only its key (who submits is the verified caller, `TEST_CALLER` here). */
const submission = (key?: string) => ({
  idempotencyKey: key ?? `records-suite-${process.pid}-${++keys}-${Date.now()}`,
});

/**
 * Starts `n` calls at once: each waits on one gate, opened when all are queued, so that none
 * starts (and commits) before the others are under way.
 */
export async function together<T>(n: number, call: (i: number) => Promise<T>): Promise<T[]> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const calls = Array.from({ length: n }, (_, i) => gate.then(() => call(i)));
  open();
  return Promise.all(calls);
}

/**
 * On PostgreSQL, a separate connection that holds a SHARE lock on `table`: reads go on, inserts
 * wait. Calls started meanwhile all get past their checks and meet at the insert; `release`
 * (once `waiting` inserts wait, or after 3 s) lets them go at the same moment, the real race the
 * write layer must survive. On the embedded database there is one connection and nothing to hold.
 */
export async function holdInserts(
  subgraph: TestSubgraph<PrismaLike>,
  table: string,
): Promise<{ release(waiting: number): Promise<void> }> {
  if (!subgraph.postgresUrl) return { release: () => Promise.resolve() };
  const client = new pg.Client({ connectionString: subgraph.postgresUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${table}" IN SHARE MODE`);
  return {
    release: async (waiting) => {
      try {
        let blocked = 0;
        for (let polls = 0; polls < 120 && blocked < waiting; polls++) {
          const { rows } = await client.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = $1::regclass',
            [`"${table}"`],
          );
          blocked = rows[0]!.n;
          if (blocked < waiting) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        // Else the calls did not overlap, and the race test would prove nothing about a race.
        if (blocked < waiting) throw new Error(`only ${blocked} of ${waiting} writes reached the held insert`);
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The records tests every domain subgraph must pass, on the embedded database and on a throwaway
 * PostgreSQL database (skipped when PostgreSQL is not reachable, unless REQUIRE_POSTGRES=true):
 * for each of its record types, its indicator values (observations) and its sources, a retry
 * replays, a key reused or a record id reused for other data is a CONFLICT, concurrent calls
 * (released together; on PostgreSQL on separate connections, meeting at the insert) end written,
 * replayed, already present or CONFLICT and never lose data, imports are all or nothing, also
 * against a concurrent import; status moves are idempotent and serialized; a write that waits too
 * long answers TRY_AGAIN; idempotency keys past their retention are pruned. Registered in the
 * calling file, one subgraph per database, reused by the file's tests.
 */
export function recordsSuite<
  P extends PrismaLike & RawSql & TransactionalClient<RawSql>,
  C extends BaseContext,
>(options: {
  /** Names the describe blocks (`border-trade`). */
  name: string;
  module: SubgraphModule<P, C>;
  /** The domain in the shared mutations' names: `submit<Domain>Observation`, `register<Domain>Source`. */
  domain: string;
  records: RecordTypeCase[];
  statusMoves?: StatusMoveCase[];
}) {
  for (const database of TEST_DATABASES) {
    describeOn(database.kind)(`${options.name} records on ${database.name}`, () => {
      suiteOn(database.kind, options);
    });
  }
}

function suiteOn<P extends PrismaLike & RawSql & TransactionalClient<RawSql>, C extends BaseContext>(
  kind: TestDatabaseKind,
  options: Parameters<typeof recordsSuite<P, C>>[0],
) {
  let subgraph: TestSubgraph<P>;
  let indicatorId = '';
  const source = `records-suite-${options.name}`;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(options.module, { on: kind });
    const registered = await subgraph.execute(
      `#graphql
      mutation ($input: SourceInput!, $submission: SubmissionInput!) {
        register${options.domain}Source(input: $input, submission: $submission) { id }
      }`,
      {
        input: { id: source, publisher: 'Records suite', title: 'Test submissions', kind: 'OFFICIAL' },
        submission: submission(),
      },
    );
    if (registered.errors) throw new Error(registered.errors[0]!.message);
    const [indicator] = await subgraph.prisma.$queryRawUnsafe<{ id: string }[]>(
      'SELECT id FROM "Indicator" ORDER BY id LIMIT 1',
    );
    if (!indicator) throw new Error(`${options.name} holds no indicator`);
    indicatorId = indicator.id;
  }, 180_000);
  afterAll(async () => {
    await subgraph?.close();
  });

  const month = (serial: number) => `${1990 + Math.floor(serial / 12)}-${String((serial % 12) + 1).padStart(2, '0')}`;
  const observation: RecordTypeCase = {
    type: 'Observation',
    record: `submit${options.domain}Observation`,
    inputType: 'ObservationInput',
    import: {
      mutation: `import${options.domain}Observations`,
      invalid: { change: { periodKind: 'CALENDAR_YEAR' }, field: 'period' },
    },
    table: 'Observation',
    keyField: 'indicatorId',
    input: (serial, variant, sourceId) => ({
      indicatorId,
      period: month(serial),
      periodKind: 'MONTH',
      value: 1 + variant,
      region: 'MX',
      status: 'FINAL',
      sourceId,
    }),
    where: (serial, sourceId) => ({
      indicatorId,
      period: month(serial),
      regionCode: 'MX',
      sourceId,
      status: 'FINAL',
    }),
    varies: { field: 'value', column: 'value', value: (variant) => 1 + variant },
  };
  const sourceCase: RecordTypeCase = {
    type: 'Source',
    record: `register${options.domain}Source`,
    inputType: 'SourceInput',
    table: 'Source',
    keyField: 'id',
    input: (serial, variant) => ({
      id: `records-suite-source-${serial}`,
      publisher: 'Records suite',
      title: `Test publication, edition ${variant}`,
      kind: 'OFFICIAL',
    }),
    where: (serial) => ({ id: `records-suite-source-${serial}` }),
    varies: { field: 'title', column: 'title', value: (variant) => `Test publication, edition ${variant}` },
  };

  const serials = new Map<string, number>();
  const next = (c: RecordTypeCase) => {
    const serial = (serials.get(c.type) ?? 0) + 1;
    serials.set(c.type, serial);
    return serial;
  };

  const record = <T = Record<string, unknown>>(c: RecordTypeCase, input: Record<string, unknown>, key = submission()) =>
    subgraph.execute<{ result: T }>(
      `#graphql
      mutation ($input: ${c.inputType}!, $submission: SubmissionInput!) {
        result: ${c.record}(input: $input, submission: $submission) { ${c.varies.field} }
      }`,
      { input, submission: key },
    ) as Promise<Answer<T>>;
  const importRows = (c: RecordTypeCase, rows: Record<string, unknown>[], dryRun = false) =>
    subgraph.execute<{ result: ImportAnswer }>(
      `#graphql
      mutation ($rows: [${c.inputType}!]!, $dryRun: Boolean) {
        result: ${c.import!.mutation}(rows: $rows, dryRun: $dryRun) {
          received inserted alreadyPresent dryRun errors { row field code message }
        }
      }`,
      { rows, dryRun },
    ) as Promise<Answer<ImportAnswer>>;
  /** The stored values of the varying column under `serial`'s key: one per row stored. */
  const stored = async (c: RecordTypeCase, serial: number) => {
    const where = c.where(serial, source);
    const columns = Object.keys(where);
    const rows = await subgraph.prisma.$queryRawUnsafe<{ v: string | number }[]>(
      `SELECT "${c.varies.column}" AS v FROM "${c.table}" WHERE ${columns.map((column, i) => `"${column}"::text = $${i + 1}`).join(' AND ')}`,
      ...columns.map((column) => where[column]),
    );
    return rows.map((r) => r.v);
  };
  const submissions = async (key: string) =>
    (
      await subgraph.prisma.$queryRawUnsafe<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM "Submission" WHERE "idempotencyKey" = $1',
        key,
      )
    )[0]!.n;
  /** Runs with other write settings, putting the previous ones back afterwards. */
  const withSettings = async (changes: Partial<WriteSettings>, work: () => Promise<void>) => {
    const previous = configureWrites(changes);
    try {
      await work();
    } finally {
      configureWrites(previous);
    }
  };

  const cases = [...options.records, observation, sourceCase];
  for (const c of cases) {
    describe(c.type, () => {
      it('replays a retry with the same key, and refuses the key, or the record’s key, for other data', async () => {
        const [serial, other] = [next(c), next(c)];
        const key = submission();
        const first = await record(c, c.input(serial, 0, source), key);
        expect(first.errors).toBeUndefined();
        expect(first.data!.result).toEqual({ [c.varies.field]: c.varies.value(0) });
        const again = await record(c, c.input(serial, 0, source), key);
        expect(again).toEqual(first);
        expect(await stored(c, serial)).toEqual([c.varies.value(0)]);

        const reused = await record(c, c.input(other, 0, source), key);
        expect(code(reused)).toEqual(['CONFLICT']);
        expect(await stored(c, other)).toEqual([]);

        // Another key, the same record: already present; other data under its key: a conflict.
        const present = await record(c, c.input(serial, 0, source));
        expect(present).toEqual(first);
        const changed = await record(c, c.input(serial, 1, source));
        expect(code(changed)).toEqual(['CONFLICT']);
        expect(changed.errors?.[0]?.message).toMatch(/already exists with different data/);
        expect(await stored(c, serial)).toEqual([c.varies.value(0)]);
      });

      it('writes one row when one submission arrives ten times at once', async () => {
        const serial = next(c);
        const key = submission();
        const answers = await together(10, () => record(c, c.input(serial, 0, source), key));
        expect(answers.map((a) => a.errors)).toEqual(Array.from({ length: 10 }, () => undefined));
        expect(await stored(c, serial)).toEqual([c.varies.value(0)]);
        expect(await submissions(key.idempotencyKey)).toBe(1);
      });

      it('ten keys, one record, ten different data at once: one is written, nine are CONFLICTs, none lost', async () => {
        const serial = next(c);
        const held = await holdInserts(subgraph, c.table);
        const racing = together(10, (variant) => record(c, c.input(serial, variant, source)));
        await held.release(10);
        const answers = await racing;
        const written = answers.flatMap((a, variant) => (a.errors === undefined ? [variant] : []));
        expect(written).toHaveLength(1);
        expect(answers.filter((a) => a.errors !== undefined).map(code)).toEqual(
          Array.from({ length: 9 }, () => ['CONFLICT']),
        );
        // The one row stored is the successful caller's, and it was told so.
        expect(await stored(c, serial)).toEqual([c.varies.value(written[0]!)]);
        expect(answers[written[0]!]!.data!.result).toEqual({ [c.varies.field]: c.varies.value(written[0]!) });
      });

      it('ten keys, the same record at once: one row, and every caller is answered with it', async () => {
        const serial = next(c);
        const held = await holdInserts(subgraph, c.table);
        const racing = together(10, () => record(c, c.input(serial, 3, source)));
        await held.release(10);
        const answers = await racing;
        expect(answers.map((a) => a.errors)).toEqual(Array.from({ length: 10 }, () => undefined));
        expect(new Set(answers.map((a) => JSON.stringify(a.data)))).toEqual(
          new Set([JSON.stringify({ result: { [c.varies.field]: c.varies.value(3) } })]),
        );
        expect(await stored(c, serial)).toEqual([c.varies.value(3)]);
      });

      if (kind === 'postgres') {
        it('answers TRY_AGAIN, writing nothing, when it waits for a lock longer than the lock timeout', async () => {
          const serial = next(c);
          const key = submission();
          const held = await holdInserts(subgraph, c.table);
          let answer: Answer<unknown> | undefined;
          const started = Date.now();
          await withSettings({ lockTimeoutMs: 300 }, async () => {
            try {
              answer = await record(c, c.input(serial, 0, source), key);
            } finally {
              await held.release(0);
            }
          });
          expect(Date.now() - started).toBeLessThan(5_000);
          expect(answer?.errors?.map((e) => e.extensions)).toEqual([{ code: 'TRY_AGAIN', retryable: true }]);
          expect(answer?.errors?.[0]?.message).not.toMatch(/lock_timeout|canceling statement|SQL|"/);
          expect(await stored(c, serial)).toEqual([]);
          // Nothing was kept under the key either: the same request again succeeds.
          const retried = await record(c, c.input(serial, 0, source), key);
          expect(retried.errors).toBeUndefined();
          expect(await stored(c, serial)).toEqual([c.varies.value(0)]);
        });
      }

      const importCase = c.import;
      if (importCase) {
        it('imports a batch all or nothing, reports every bad row, and adds nothing on a re-run', async () => {
          const conflicting = next(c);
          expect((await record(c, c.input(conflicting, 0, source))).errors).toBeUndefined();
          const [a, b] = [next(c), next(c)];
          const bad = await importRows(c, [
            c.input(a, 0, source),
            { ...c.input(b, 0, source), ...importCase.invalid.change },
            c.input(a, 0, source),
            c.input(conflicting, 1, source),
          ]);
          expect(bad.errors).toBeUndefined();
          expect(bad.data!.result.inserted).toBe(0);
          expect(bad.data!.result.errors.map((e) => [e.row, e.field, e.code])).toEqual([
            [1, importCase.invalid.field, 'BAD_USER_INPUT'],
            [2, c.keyField, 'BAD_USER_INPUT'],
            [3, c.keyField, 'CONFLICT'],
          ]);
          expect(await stored(c, a)).toEqual([]);

          const batch = Array.from({ length: 10 }, () => next(c));
          const rows = batch.map((serial, i) => c.input(serial, i % 10, source));
          const dry = await importRows(c, rows, true);
          expect(dry.data!.result).toEqual({ received: 10, inserted: 0, alreadyPresent: 0, dryRun: true, errors: [] });
          expect(await stored(c, batch[0]!)).toEqual([]);
          const good = await importRows(c, rows);
          expect(good.data!.result).toEqual({
            received: 10,
            inserted: 10,
            alreadyPresent: 0,
            dryRun: false,
            errors: [],
          });
          const rerun = await importRows(c, rows);
          expect(rerun.data!.result).toEqual({
            received: 10,
            inserted: 0,
            alreadyPresent: 10,
            dryRun: false,
            errors: [],
          });
          for (const [i, serial] of batch.entries()) expect(await stored(c, serial)).toEqual([c.varies.value(i % 10)]);
        });

        it('two imports of one batch with different data at once: one is written whole, the other answers CONFLICT rows and writes nothing', async () => {
          const batch = Array.from({ length: 10 }, () => next(c));
          const held = await holdInserts(subgraph, c.table);
          const racing = together(2, (variant) =>
            importRows(
              c,
              batch.map((serial) => c.input(serial, variant, source)),
            ),
          );
          await held.release(2);
          const answers = await racing;
          expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
          const results = answers.map((a) => a.data!.result);
          const winner = results.findIndex((r) => r.errors.length === 0);
          expect(winner).toBeGreaterThanOrEqual(0);
          expect(results[winner]).toMatchObject({ inserted: 10, alreadyPresent: 0 });
          const loser = results[1 - winner]!;
          expect(loser.inserted).toBe(0);
          expect(loser.errors.length).toBeGreaterThan(0);
          expect(new Set(loser.errors.map((e) => e.code))).toEqual(new Set(['CONFLICT']));
          for (const serial of batch) expect(await stored(c, serial)).toEqual([c.varies.value(winner)]);
        });

        it('two imports of the same batch at once: every row is written once, and each import accounts for all of them', async () => {
          const batch = Array.from({ length: 10 }, () => next(c));
          const rows = batch.map((serial) => c.input(serial, 5, source));
          const held = await holdInserts(subgraph, c.table);
          const racing = together(2, () => importRows(c, rows));
          await held.release(2);
          const results = (await racing).map((a) => a.data!.result);
          for (const result of results) {
            expect(result.errors).toEqual([]);
            expect(result.inserted + result.alreadyPresent).toBe(10);
          }
          expect(results[0]!.inserted + results[1]!.inserted).toBe(10);
          for (const serial of batch) expect(await stored(c, serial)).toEqual([c.varies.value(5)]);
        });
      }
    });
  }

  it('answers an indicator value as stored, with its source and who submitted it (the caller, not the deprecated submittedBy)', async () => {
    const serial = next(observation);
    const { data, errors } = await subgraph.execute<{ result: Record<string, unknown> }>(
      `#graphql
      mutation ($input: ObservationInput!, $submission: SubmissionInput!) {
        result: submit${options.domain}Observation(input: $input, submission: $submission) {
          period periodKind periodStart periodEnd value qualifier country regionCode status note releasableTo
          source { id kind } recordedBy
        }
      }`,
      {
        input: { ...observation.input(serial, 2, source), region: 'MX-SON', note: 'test value' },
        submission: { ...submission(), submittedBy: 'someone-else@ELSEWHERE' },
      },
    );
    expect(errors).toBeUndefined();
    expect(data!.result).toEqual({
      period: month(serial),
      periodKind: 'MONTH',
      periodStart: `${month(serial)}-01`,
      periodEnd: new Date(Date.UTC(1990 + Math.floor(serial / 12), (serial % 12) + 1, 0)).toISOString().slice(0, 10),
      value: 3,
      qualifier: 'EXACT',
      country: 'MX',
      regionCode: 'MX-SON',
      status: 'FINAL',
      note: 'test value',
      releasableTo: 'BOTH',
      source: { id: source, kind: 'OFFICIAL' },
      // The verified caller, whoever the client claims to be.
      recordedBy: TEST_RECORDED_BY,
    });
    const unknown = await record(observation, {
      ...observation.input(next(observation), 0, source),
      indicatorId: indicatorId.replace(/\/.*$/, '/no-such-indicator'),
    });
    expect(unknown.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])).toEqual([
      ['BAD_USER_INPUT', 'input.indicatorId'],
    ]);
  });

  for (const s of options.statusMoves ?? []) {
    describe(`${s.type} status moves`, () => {
      const move = <T = Record<string, unknown>>(
        variables: { recordId: string; status: string; on: string },
        key = submission(),
      ) =>
        subgraph.execute<{ result: T }>(
          `#graphql
          mutation ($recordId: ID!, $status: ${s.statusType}!, $on: Date!, $submission: SubmissionInput!) {
            result: ${s.mutation}(recordId: $recordId, status: $status, on: $on, submission: $submission) {
              recordId ${s.statusField}
            }
          }`,
          { ...variables, submission: key },
        ) as Promise<Answer<T>>;
      /** A new case at the start status; returns its record id. */
      const open = async () => {
        const input = { ...s.record.input(next(s.record), 0, source), ...s.start };
        const recorded = await record(s.record, input);
        expect(recorded.errors).toBeUndefined();
        return String(input['recordId']);
      };
      const statusOf = async (recordId: string) =>
        (
          await subgraph.prisma.$queryRawUnsafe<{ status: string }[]>(
            `SELECT "${s.statusColumn}"::text AS status FROM "${s.record.table}" WHERE "recordId" = $1`,
            recordId,
          )
        )[0]?.status;
      const [one, another] = s.moves;

      it('moves a case once, replays the move retried with the same key, and refuses the key for another move', async () => {
        const recordId = await open();
        const key = submission();
        const first = await move({ recordId, ...one }, key);
        expect(first.errors).toBeUndefined();
        expect(first.data!.result).toEqual({ recordId, [s.statusField]: one.status });
        expect(await move({ recordId, ...one }, key)).toEqual(first);
        const other = await move({ recordId, ...another }, key);
        expect(code(other)).toEqual(['CONFLICT']);
        expect(await statusOf(recordId)).toBe(one.status);
        const missing = await move({ recordId: `${recordId}-MISSING`, ...one });
        expect(code(missing)).toEqual(['NOT_FOUND']);
      });

      it('ten callers with one key at once: the case moves once and each gets the moved case', async () => {
        const recordId = await open();
        const key = submission();
        const answers = await together(10, () => move({ recordId, ...one }, key));
        expect(answers.map((a) => a.errors)).toEqual(Array.from({ length: 10 }, () => undefined));
        expect(new Set(answers.map((a) => JSON.stringify(a.data)))).toEqual(
          new Set([JSON.stringify({ result: { recordId, [s.statusField]: one.status } })]),
        );
        expect(await submissions(key.idempotencyKey)).toBe(1);
      });

      it('two final moves at once under different keys: exactly one wins, the other is refused', async () => {
        const recordId = await open();
        const answers = await together(2, (i) => move({ recordId, ...s.moves[i]! }));
        const won = answers.flatMap((a, i) => (a.errors === undefined ? [i] : []));
        expect(won).toHaveLength(1);
        const lost = answers[1 - won[0]!]!;
        expect(lost.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['field']])).toEqual([
          ['BAD_USER_INPUT', 'status'],
        ]);
        expect(lost.errors?.[0]?.message).toMatch(/that status is final/);
        expect(await statusOf(recordId)).toBe(s.moves[won[0]!]!.status);
      });

      if (kind === 'postgres') {
        it("answers TRY_AGAIN when the case's row is locked longer than the lock timeout; the same key then moves it", async () => {
          const recordId = await open();
          const key = submission();
          const holder = new pg.Client({ connectionString: subgraph.postgresUrl });
          await holder.connect();
          let answer: Answer<unknown> | undefined;
          const started = Date.now();
          try {
            await holder.query('BEGIN');
            await holder.query(`SELECT id FROM "${s.record.table}" WHERE "recordId" = $1 FOR UPDATE`, [recordId]);
            await withSettings({ lockTimeoutMs: 300 }, async () => {
              answer = await move({ recordId, ...one }, key);
            });
          } finally {
            await holder.query('ROLLBACK');
            await holder.end();
          }
          expect(Date.now() - started).toBeLessThan(5_000);
          expect(answer?.errors?.map((e) => e.extensions)).toEqual([{ code: 'TRY_AGAIN', retryable: true }]);
          expect(await statusOf(recordId)).not.toBe(one.status);
          const retried = await move({ recordId, ...one }, key);
          expect(retried.errors).toBeUndefined();
          expect(await statusOf(recordId)).toBe(one.status);
        });
      }
    });
  }

  describe('write transactions', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const failure = async (work: Promise<unknown>) => {
      try {
        await work;
      } catch (error) {
        return error as Error & { extensions?: Record<string, unknown> };
      }
      throw new Error('expected the write to fail');
    };

    it('answers TRY_AGAIN for a transaction that outlives its timeout', async () => {
      const error = await failure(
        transactions(subgraph.prisma, { transactionTimeoutMs: 300 })(async (tx) => {
          await sleep(600);
          return tx.$queryRawUnsafe('SELECT 1');
        }),
      );
      expect([error.extensions?.['code'], error.extensions?.['retryable']]).toEqual(['TRY_AGAIN', true]);
      expect(error.message).toMatch(/nothing was written: send it again/);
    });

    if (kind === 'postgres') {
      it('answers TRY_AGAIN for a statement that runs past the statement timeout', async () => {
        const started = Date.now();
        const error = await failure(
          transactions(subgraph.prisma, { statementTimeoutMs: 200 })((tx) =>
            tx.$executeRawUnsafe('SELECT pg_sleep(5)'),
          ),
        );
        expect(Date.now() - started).toBeLessThan(3_000);
        expect([error.extensions?.['code'], error.message]).toEqual([
          'TRY_AGAIN',
          expect.stringMatching(/ran longer than the statement timeout/),
        ]);
      });

      it('answers TRY_AGAIN to the write PostgreSQL picks to end a deadlock, and lets the other commit', async () => {
        const run = transactions(subgraph.prisma);
        // Each takes its first lock, then both ask for the other's.
        let arrived = 0;
        let open!: () => void;
        const bothLocked = new Promise<void>((resolve) => (open = resolve));
        const crossing = (first: number, second: number) =>
          run(async (tx) => {
            await tx.$executeRawUnsafe(`SET LOCAL deadlock_timeout = '100ms'`);
            await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', first);
            if (++arrived === 2) open();
            await bothLocked;
            await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', second);
            return 'committed';
          }).catch((error: unknown) => error as Error & { extensions?: Record<string, unknown> });
        const outcomes = await Promise.all([crossing(7001, 7002), crossing(7002, 7001)]);
        const failed = outcomes.filter((o) => o !== 'committed');
        expect(outcomes.filter((o) => o === 'committed')).toHaveLength(1);
        expect(failed.map((o) => (typeof o === 'string' ? o : o.extensions))).toEqual([
          { code: 'TRY_AGAIN', retryable: true },
        ]);
      });
    }
  });

  describe('idempotency key retention', () => {
    const age = (key: string, hours: number) =>
      subgraph.prisma.$executeRawUnsafe(
        `UPDATE "Submission" SET "submittedAt" = now() - make_interval(hours => $2::int) WHERE "idempotencyKey" = $1`,
        key,
        hours,
      );
    const c = options.records[0]!;

    it('prunes keys older than the retention; a retry after it finds its record already present, other data a CONFLICT', async () => {
      const [serial, recent] = [next(c), next(c)];
      const key = submission();
      const keep = submission();
      expect((await record(c, c.input(serial, 0, source), key)).errors).toBeUndefined();
      expect((await record(c, c.input(recent, 0, source), keep)).errors).toBeUndefined();
      await age(key.idempotencyKey, 169);
      await age(keep.idempotencyKey, 167);

      const pruned = await pruneSubmissions(subgraph.prisma, { retentionHours: 168, batchSize: 1 });
      expect(pruned.deleted).toBeGreaterThanOrEqual(1);
      expect(await submissions(key.idempotencyKey)).toBe(0);
      expect(await submissions(keep.idempotencyKey)).toBe(1);

      // The retry is a new write: its record is already there with the same data, so it is
      // answered with it and nothing is added; the key replays again from now on.
      const retried = await record(c, c.input(serial, 0, source), key);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.result).toEqual({ [c.varies.field]: c.varies.value(0) });
      expect(await stored(c, serial)).toEqual([c.varies.value(0)]);
      expect(await submissions(key.idempotencyKey)).toBe(1);
      const otherData = await record(c, c.input(serial, 1, source), submission());
      expect(code(otherData)).toEqual(['CONFLICT']);
    });

    it('prunes in batches after writes, at most once an interval unless a backlog is left', async () => {
      const aged = Array.from({ length: 3 }, () => submission());
      for (const key of aged) {
        expect((await record(c, c.input(next(c), 0, source), key)).errors).toBeUndefined();
        await age(key.idempotencyKey, 24 * 365);
      }
      await withSettings({ submissionRetentionHours: 24 * 364, pruneIntervalMs: 0 }, async () => {
        expect((await record(c, c.input(next(c), 0, source))).errors).toBeUndefined();
      });
      for (const key of aged) expect(await submissions(key.idempotencyKey)).toBe(0);
    });
  });
}
