import { badUserInput, notFound } from '@bicentennial/service';
import { eventDate, recordIdField } from './fields';
import type { Caller } from '@bicentennial/schema';
import { checkSubmission, idempotentWrite, type RawSql, type SubmissionInput } from './idempotency';
import { releasableSql } from './releasability';

/** A calendar day as `YYYY-MM-DD` (UTC, as dates are stored). */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A record whose status moves along a fixed set of transitions (a case: requested → approved …). */
export interface StatusMachine<Tx extends RawSql, Stored, Status extends string, Extra extends object> {
  /** The mutation, for idempotency keys (`updateExtraditionCaseStatus`). */
  operation: string;
  /** The table, locked by `recordId` while the move is judged and written. */
  table: string;
  /** What the record is called in messages (`extradition case`). */
  noun: string;
  /** Where each status may go; a status that goes nowhere is final. */
  transitions: Record<Status, readonly Status[]>;
  load(tx: Tx, recordId: string): Promise<Stored>;
  status(stored: Stored): Status;
  /** The day the record reached its current status: a move may not come before it. */
  since(stored: Stored): Date;
  /** Further checks of this move (a BAD_USER_INPUT to throw), after the transition and the day. */
  check?(stored: Stored, move: StatusMove<Status> & Extra): void;
  /** Writes the move, with who made it. */
  write(tx: Tx, stored: Stored, move: StatusMove<Status> & Extra, submittedBy: string): Promise<void>;
}

export interface StatusMove<Status extends string> {
  recordId: string;
  status: Status;
  /** The day of the move, checked: not in the future, not before 2000. */
  on: Date;
}

/**
 * Moves a record to `status` on the day `on`: checks the arguments, then, in one transaction and
 * under the submission's idempotency key, locks the row (only one released to the writer) (so concurrent moves of one record under
 * different keys are judged one after the other), refuses a transition the machine does not allow
 * or a day before the current status's (BAD_USER_INPUT on `status` / `on`), runs the machine's own
 * checks and writes. NOT_FOUND for an unknown record. A retry with the same key and the same move
 * replays without moving again; the key with another move is a CONFLICT. Returns the record id.
 */
export async function moveStatus<Tx extends RawSql, Stored, Status extends string, Extra extends object>(
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  machine: StatusMachine<Tx, Stored, Status, Extra>,
  change: { recordId: string; status: Status; on: Date | string } & Extra,
  submissionInput: SubmissionInput,
  writer: Caller,
): Promise<string> {
  const submission = checkSubmission(submissionInput, writer);
  const released = releasableSql('t', 2, writer);
  const recordId = recordIdField.safeParse(change.recordId);
  if (!recordId.success) throw badUserInput(recordId.error.issues[0]!.message, 'recordId');
  const on = eventDate.safeParse(change.on instanceof Date ? change.on : new Date(change.on));
  if (!on.success) throw badUserInput(on.error.issues[0]!.message, 'on');
  const move = { ...change, recordId: recordId.data, on: on.data };
  const request = { ...move, on: isoDay(on.data) };
  return transaction(async (tx) => {
    const outcome = await idempotentWrite(tx, submission, machine.operation, request, async () => {
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
        // A record not released to the writer is, to the writer, a record that does not exist.
        `SELECT id::text AS id FROM "${machine.table}" t WHERE "recordId" = $1 AND ${released.sql} FOR UPDATE`,
        move.recordId,
        released.value,
      );
      if (locked.length === 0) throw notFound(`${machine.noun} ${move.recordId} does not exist`);
      const stored = await machine.load(tx, move.recordId);
      const current = machine.status(stored);
      const allowed = machine.transitions[current];
      if (!allowed.includes(move.status)) {
        throw badUserInput(
          `the ${machine.noun} is ${current} and cannot move to ${move.status}` +
            (allowed.length > 0 ? `; it may move to ${allowed.join(' or ')}` : ': that status is final'),
          'status',
        );
      }
      const since = machine.since(stored);
      if (move.on < since) {
        throw badUserInput(`must not be before ${isoDay(since)}, when the ${machine.noun} became ${current}`, 'on');
      }
      machine.check?.(stored, move);
      await machine.write(tx, stored, move, submission.submittedBy);
      return move.recordId;
    });
    return outcome.resultId;
  });
}
