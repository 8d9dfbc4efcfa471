import {
  count,
  eventDate,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceIdField,
  statusField,
  type RecordSpec,
} from '@bicentennial/schema';
import { z } from 'zod';
import type { Prisma, SmugglingInterdiction } from '../generated/prisma/client';
import { portAndSourceProblems } from './references';
import { BORDER_STATES } from './drugSeizures';

const schema = z
  .object({
    recordId: recordIdField,
    kind: z.enum(['MIGRANT_SMUGGLING', 'HUMAN_TRAFFICKING'], {
      message: 'must be MIGRANT_SMUGGLING or HUMAN_TRAFFICKING',
    }),
    occurredOn: eventDate,
    portCode: z
      .string()
      .regex(/^\d{4}$/, 'must be a 4-digit CBP port code')
      .nullish()
      .transform((v) => v ?? null),
    state: z.enum(BORDER_STATES, { message: `must be a U.S. border state: ${BORDER_STATES.join(', ')}` }),
    personsRescued: count(100_000),
    suspectsArrested: count(10_000),
    sourceId: sourceIdField,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .transform((row) => ({ ...row, objectiveId: '2.4.1' }));
export type InterdictionRow = z.infer<typeof schema>;

/** Smuggling and trafficking interdictions, validated and written like drug seizures. */
export const interdictionSpec: RecordSpec<Prisma.TransactionClient, InterdictionRow, SmugglingInterdiction> = {
  operation: 'recordSmugglingInterdiction',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: portAndSourceProblems,
  existing: async (tx, keys) =>
    new Map(
      (await tx.smugglingInterdiction.findMany({ where: { recordId: { in: keys } } })).map((s) => [s.recordId, s]),
    ),
  same: (stored, row) =>
    stored.kind === row.kind &&
    sameDay(stored.occurredOn, row.occurredOn) &&
    stored.portCode === row.portCode &&
    stored.stateCode === row.state &&
    stored.personsRescued === row.personsRescued &&
    stored.suspectsArrested === row.suspectsArrested &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  insert: async (tx, rows, recordedBy) =>
    (
      await tx.smugglingInterdiction.createMany({
        data: rows.map(({ state, ...row }) => ({ ...row, stateCode: state, recordedBy })),
        skipDuplicates: true,
      })
    ).count,
};
