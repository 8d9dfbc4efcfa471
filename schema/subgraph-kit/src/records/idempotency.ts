import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Caller } from '@bicentennial/schema';
import { badUserInput, conflict } from '@bicentennial/service';
import { writerOf } from './releasability';

/** The raw-SQL part of a Prisma client or interactive transaction client. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** What a client sends with a write (GraphQL `SubmissionInput`): only its idempotency key. */
export interface SubmissionInput {
  idempotencyKey: string;
}

/** A checked submission: the key, and who submits it, from the verified caller (never the client). */
export interface Submission {
  idempotencyKey: string;
  submittedBy: string;
}

const KEY = /^[\x21-\x7e]{8,200}$/;

/**
 * Checks a SubmissionInput (a printable key of 8–200 characters) and names the submitter from
 * the verified caller (`sub@agency`): a client cannot say who wrote a row.
 */
export function checkSubmission(submission: SubmissionInput, writer: Caller): Submission {
  const submittedBy = writerOf(writer);
  if (!KEY.test(submission.idempotencyKey)) {
    throw badUserInput(
      'idempotencyKey must be 8 to 200 printable characters without spaces (a UUID is a good key)',
      'submission.idempotencyKey',
    );
  }
  return { idempotencyKey: submission.idempotencyKey, submittedBy };
}

/**
 * One idempotent write, inside the caller's transaction: the first call with a key runs `write`
 * and records its result under the key (table "Submission"); a retry with the same key and the
 * same request returns that result without writing; the same key for a different request is a
 * CONFLICT. A concurrent call with the same key waits on the key's row (PostgreSQL's unique index)
 * and then replays. If `write` fails, the transaction rolls back and the key stays unused.
 */
export async function idempotentWrite(
  tx: RawSql,
  submission: Submission,
  operation: string,
  request: unknown,
  write: () => Promise<string>,
): Promise<{ resultId: string; replayed: boolean }> {
  // The submitter is part of the request: another caller's retry with the same key is a CONFLICT,
  // never a replay of someone else's write.
  const requestHash = createHash('sha256')
    .update(stringify({ operation, request, submittedBy: submission.submittedBy }) ?? '')
    .digest('hex');
  const inserted = await tx.$queryRawUnsafe<{ idempotencyKey: string }[]>(
    `INSERT INTO "Submission" ("idempotencyKey", "operation", "requestHash", "submittedBy")
     VALUES ($1, $2, $3, $4) ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING "idempotencyKey"`,
    submission.idempotencyKey,
    operation,
    requestHash,
    submission.submittedBy,
  );
  if (inserted.length === 0) {
    const [previous] = await tx.$queryRawUnsafe<{ operation: string; requestHash: string; resultId: string | null }[]>(
      `SELECT "operation", "requestHash", "resultId" FROM "Submission" WHERE "idempotencyKey" = $1`,
      submission.idempotencyKey,
    );
    if (!previous || previous.resultId === null) {
      throw conflict(`the write with idempotency key ${submission.idempotencyKey} is still in progress; retry`);
    }
    if (previous.operation !== operation || previous.requestHash !== requestHash) {
      throw conflict(
        `idempotency key ${submission.idempotencyKey} was already used for a different ${previous.operation === operation ? 'request' : `operation (${previous.operation})`}; use a new key for a new write`,
      );
    }
    return { resultId: previous.resultId, replayed: true };
  }
  const resultId = await write();
  await tx.$executeRawUnsafe(
    `UPDATE "Submission" SET "resultId" = $1 WHERE "idempotencyKey" = $2`,
    resultId,
    submission.idempotencyKey,
  );
  return { resultId, replayed: false };
}

/**
 * Deletes Submission rows older than the retention, in batches of `batchSize` (each its own
 * short statement, by the index on submittedAt, so no long lock on the table; rows another
 * transaction holds, such as a replica pruning too, are skipped), at most `maxBatches` of them;
 * `more` says the last batch was full. A retry of a pruned key is a new
 * write: see README, "Putting data in".
 */
export async function pruneSubmissions(
  sql: RawSql,
  options: { retentionHours: number; batchSize?: number; maxBatches?: number },
): Promise<{ deleted: number; more: boolean }> {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 10;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await sql.$executeRawUnsafe(
      `DELETE FROM "Submission" WHERE "idempotencyKey" IN (
         SELECT "idempotencyKey" FROM "Submission"
         WHERE "submittedAt" < now() - make_interval(hours => $1::int)
         ORDER BY "submittedAt" LIMIT $2::int
         FOR UPDATE SKIP LOCKED)`,
      options.retentionHours,
      batchSize,
    );
    deleted += count;
    if (count < batchSize) return { deleted, more: false };
  }
  return { deleted, more: true };
}
