import type { Caller } from '@bicentennial/schema';
import { moveStatus, type StatusMachine, type SubmissionInput } from '@bicentennial/subgraph-kit';
import type { Prisma, TraffickingCase } from '../generated/prisma/client';
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

const traffickingCases: StatusMachine<Prisma.TransactionClient, TraffickingCase, CaseStatus, object> = {
  operation: 'updateTraffickingCaseStatus',
  table: 'TraffickingCase',
  noun: 'trafficking case',
  transitions: TRANSITIONS,
  load: (tx, recordId) => tx.traffickingCase.findUniqueOrThrow({ where: { recordId } }),
  status: (stored) => stored.caseStatus,
  // Only open cases move: UNDER_INVESTIGATION since openedOn, CHARGED since chargedOn.
  since: (stored) => (stored.caseStatus === 'CHARGED' && stored.chargedOn ? stored.chargedOn : stored.openedOn),
  write: async (tx, _stored, move, submittedBy) => {
    await tx.traffickingCase.update({
      where: { recordId: move.recordId },
      data: {
        caseStatus: move.status,
        ...(move.status === 'CHARGED' ? { chargedOn: move.on } : { closedOn: move.on }),
        statusChangedBy: submittedBy,
        statusChangedAt: new Date(),
      },
    });
  },
};

/**
 * `updateTraffickingCaseStatus`: moves a case along `TRANSITIONS` (see `moveStatus`); CHARGED sets
 * `chargedOn`, a final status `closedOn`. Returns the record id.
 */
export function changeCaseStatus(
  transaction: <T>(work: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>,
  change: CaseStatusChange,
  submission: SubmissionInput,
  writer: Caller,
): Promise<string> {
  return moveStatus(transaction, traffickingCases, change, submission, writer);
}
