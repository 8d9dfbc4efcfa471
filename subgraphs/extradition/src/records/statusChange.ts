import {
  badUserInput,
  checkSubmission,
  eventDate,
  idempotentWrite,
  notFound,
  recordIdField,
  type Submission,
} from '@bicentennial/schema';
import type { Prisma } from '../generated/prisma/client';
import { DAY_OF, day, mechanismProblem, type Mechanism, type Status } from './cases';

/** The moves a case may make; EXTRADITED, TRANSFERRED and DENIED are final. */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  REQUESTED: ['APPROVED', 'DENIED'],
  APPROVED: ['EXTRADITED', 'TRANSFERRED', 'DENIED'],
  EXTRADITED: [],
  TRANSFERRED: [],
  DENIED: [],
};

export interface StatusChange {
  recordId: string;
  status: Status;
  on: Date | string;
  mechanism?: Mechanism | null;
}

/**
 * `updateExtraditionCaseStatus`: checks the arguments, then, in one transaction and under the
 * submission's idempotency key, locks the case, checks the move (allowed transition, a day not
 * before the current status's, a mechanism that fits) and writes it with who and when. A retry
 * with the same key replays without moving the case again. Returns the case's record id.
 */
export async function changeStatus(
  transaction: <T>(work: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>,
  change: StatusChange,
  submissionInput: Submission,
): Promise<string> {
  const submission = checkSubmission(submissionInput);
  const recordId = recordIdField.safeParse(change.recordId);
  if (!recordId.success) throw badUserInput(recordId.error.issues[0]!.message, 'recordId');
  const on = eventDate.safeParse(change.on instanceof Date ? change.on : new Date(change.on));
  if (!on.success) throw badUserInput(on.error.issues[0]!.message, 'on');
  const { status } = change;
  const mechanism = change.mechanism ?? null;
  const request = { recordId: recordId.data, status, on: day(on.data), mechanism };
  return transaction(async (tx) => {
    const outcome = await idempotentWrite(tx, submission, 'updateExtraditionCaseStatus', request, async () => {
      // The row lock orders concurrent moves of one case (under different keys): the second
      // sees the first's result and is judged against it.
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text AS id FROM "ExtraditionCase" WHERE "recordId" = $1 FOR UPDATE`,
        request.recordId,
      );
      if (locked.length === 0) throw notFound(`extradition case ${request.recordId} does not exist`);
      const stored = await tx.extraditionCase.findUniqueOrThrow({ where: { recordId: request.recordId } });
      const allowed = TRANSITIONS[stored.caseStatus];
      if (!allowed.includes(status)) {
        throw badUserInput(
          `the case is ${stored.caseStatus} and cannot move to ${status}` +
            (allowed.length > 0 ? `; it may move to ${allowed.join(' or ')}` : ': that status is final'),
          'status',
        );
      }
      if (on.data < stored.statusOn) {
        throw badUserInput(
          `must not be before ${day(stored.statusOn)}, when the case became ${stored.caseStatus}`,
          'on',
        );
      }
      const route = mechanism ?? stored.transferMechanism;
      const problem = mechanismProblem(status, route);
      if (problem) {
        throw badUserInput(mechanism ? problem : `${problem}; give the mechanism the person went by`, 'mechanism');
      }
      await tx.extraditionCase.update({
        where: { recordId: request.recordId },
        data: {
          caseStatus: status,
          statusOn: on.data,
          [DAY_OF[status]]: on.data,
          transferMechanism: route,
          statusChangedBy: submission.submittedBy,
          statusChangedAt: new Date(),
        },
      });
      return request.recordId;
    });
    return outcome.resultId;
  });
}
