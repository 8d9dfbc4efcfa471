import type { Caller } from '@bicentennial/schema';
import { badUserInput } from '@bicentennial/service';
import { moveStatus, type StatusMachine, type SubmissionInput } from '@bicentennial/subgraph-kit';
import type { ExtraditionCase, Prisma } from '../generated/prisma/client';
import { DAY_OF, mechanismProblem, type Mechanism, type Status } from './cases';

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

/** The route a move takes: the one given, else the case's own. */
const routeOf = (stored: ExtraditionCase, mechanism: Mechanism | null) => mechanism ?? stored.transferMechanism;

const extraditionCases: StatusMachine<
  Prisma.TransactionClient,
  ExtraditionCase,
  Status,
  { mechanism: Mechanism | null }
> = {
  operation: 'updateExtraditionCaseStatus',
  table: 'ExtraditionCase',
  noun: 'extradition case',
  transitions: TRANSITIONS,
  load: (tx, recordId) => tx.extraditionCase.findUniqueOrThrow({ where: { recordId } }),
  status: (stored) => stored.caseStatus,
  since: (stored) => stored.statusOn,
  check: (stored, move) => {
    const problem = mechanismProblem(move.status, routeOf(stored, move.mechanism));
    if (problem) {
      throw badUserInput(move.mechanism ? problem : `${problem}; give the mechanism the person went by`, 'mechanism');
    }
  },
  write: async (tx, stored, move, submittedBy) => {
    await tx.extraditionCase.update({
      where: { recordId: move.recordId },
      data: {
        caseStatus: move.status,
        statusOn: move.on,
        [DAY_OF[move.status]]: move.on,
        transferMechanism: routeOf(stored, move.mechanism),
        statusChangedBy: submittedBy,
        statusChangedAt: new Date(),
      },
    });
  },
};

/**
 * `updateExtraditionCaseStatus`: moves a case along `TRANSITIONS` (see `moveStatus`), on a day not
 * before its current status's, by a mechanism that fits the new status. Returns the record id.
 */
export function changeStatus(
  transaction: <T>(work: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>,
  change: StatusChange,
  submission: SubmissionInput,
  writer: Caller,
): Promise<string> {
  return moveStatus(
    transaction,
    extraditionCases,
    { ...change, mechanism: change.mechanism ?? null },
    submission,
    writer,
  );
}
