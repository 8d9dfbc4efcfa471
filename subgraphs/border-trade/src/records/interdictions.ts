import {
  count,
  eventDate,
  type Column,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceIdField,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
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
  table: 'SmugglingInterdiction',
  columns: interdictionColumns,
  keyColumns: ['recordId'],
};

/** The columns of a SmugglingInterdiction row, for bulk inserts (imports and the synthetic loader). */
export function interdictionColumns(recordedBy: string): Column<Omit<InterdictionRow, 'state'> & { state: string }>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'kind', type: '"InterdictionKind"', value: (r) => r.kind },
    { name: 'occurredOn', type: 'date', value: (r) => r.occurredOn },
    { name: 'portCode', type: 'text', value: (r) => r.portCode },
    { name: 'stateCode', type: 'text', value: (r) => r.state },
    { name: 'personsRescued', type: 'int4', value: (r) => r.personsRescued },
    { name: 'suspectsArrested', type: 'int4', value: (r) => r.suspectsArrested },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
