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
import type { CaseStatus } from './traffickingCases';

/** The moves a case may make; CONVICTED, ACQUITTED and DISMISSED are final. */
export const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  UNDER_INVESTIGATION: ['CHARGED', 'DISMISSED'],
  CHARGED: ['CONVICTED', 'ACQUITTED', 'DISMISSED'],
  CONVICTED: [],
  ACQUITTED: [],
  DISMISSED: [],
};

export interface CaseStatusChange {
  recordId: string;
  status: CaseStatus;
  on: Date | string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * `updateTraffickingCaseStatus`: checks the arguments, then, in one transaction and under the
 * submission's idempotency key, locks the case, checks the move (an allowed transition, on a day
 * not before the one the case reached its current status) and writes it with who and when. A retry
 * with the same key replays without moving the case again. Returns the case's record id.
 */
export async function changeCaseStatus(
  transaction: <T>(work: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>,
  change: CaseStatusChange,
  submissionInput: Submission,
): Promise<string> {
  const submission = checkSubmission(submissionInput);
  const recordId = recordIdField.safeParse(change.recordId);
  if (!recordId.success) throw badUserInput(recordId.error.issues[0]!.message, 'recordId');
  const on = eventDate.safeParse(change.on instanceof Date ? change.on : new Date(change.on));
  if (!on.success) throw badUserInput(on.error.issues[0]!.message, 'on');
  const { status } = change;
  const request = { recordId: recordId.data, status, on: day(on.data) };
  return transaction(async (tx) => {
    const outcome = await idempotentWrite(tx, submission, 'updateTraffickingCaseStatus', request, async () => {
      // The row lock orders concurrent moves of one case (under different keys): the second
      // sees the first's result and is judged against it.
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text AS id FROM "TraffickingCase" WHERE "recordId" = $1 FOR UPDATE`,
        request.recordId,
      );
      if (locked.length === 0) throw notFound(`trafficking case ${request.recordId} does not exist`);
      const stored = await tx.traffickingCase.findUniqueOrThrow({ where: { recordId: request.recordId } });
      const allowed = TRANSITIONS[stored.caseStatus];
      if (!allowed.includes(status)) {
        throw badUserInput(
          `the case is ${stored.caseStatus} and cannot move to ${status}` +
            (allowed.length > 0 ? `; it may move to ${allowed.join(' or ')}` : ': that status is final'),
          'status',
        );
      }
      // Only open cases move: UNDER_INVESTIGATION since openedOn, CHARGED since chargedOn.
      const since = stored.caseStatus === 'CHARGED' && stored.chargedOn ? stored.chargedOn : stored.openedOn;
      if (on.data < since) {
        throw badUserInput(`must not be before ${day(since)}, when the case became ${stored.caseStatus}`, 'on');
      }
      await tx.traffickingCase.update({
        where: { recordId: request.recordId },
        data: {
          caseStatus: status,
          ...(status === 'CHARGED' ? { chargedOn: on.data } : { closedOn: on.data }),
          statusChangedBy: submission.submittedBy,
          statusChangedAt: new Date(),
        },
      });
      return request.recordId;
    });
    return outcome.resultId;
  });
}
