import {
  eventDate,
  type Column,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceIdField,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import * as borderTradeSynthetic from '@bicentennial/seeds/synthetic/borderTrade';
import { z } from 'zod';
import type { DrugSeizure, Prisma } from '../generated/prisma/client';
import { portAndSourceProblems } from './references';

export const BORDER_STATES = ['US-CA', 'US-AZ', 'US-NM', 'US-TX'] as const;
const KG_PER = { KILOGRAMS: 1, POUNDS: 1 / 2.20462262185, GRAMS: 0.001, DOSAGE_UNITS: null } as const;

const schema = z
  .object({
    recordId: recordIdField,
    location: z.enum(['AT_PORT', 'BETWEEN_PORTS'], { message: 'must be AT_PORT or BETWEEN_PORTS' }),
    portCode: z
      .string()
      .regex(/^\d{4}$/, 'must be a 4-digit CBP port code')
      .nullish()
      .transform((v) => v ?? null),
    state: z.enum(BORDER_STATES, { message: `must be a U.S. border state: ${BORDER_STATES.join(', ')}` }),
    seizedOn: eventDate,
    drug: z.enum(['FENTANYL', 'METHAMPHETAMINE', 'COCAINE', 'HEROIN', 'MARIJUANA', 'PRECURSOR_CHEMICALS', 'OTHER']),
    quantity: z
      .number({ message: 'must be a number' })
      .finite('must be a finite number')
      .positive('must be more than 0')
      .max(1_000_000, 'must be at most 1,000,000'),
    unit: z.enum(['KILOGRAMS', 'POUNDS', 'GRAMS', 'DOSAGE_UNITS']),
    mode: z.enum(['PASSENGER_VEHICLE', 'CARGO', 'PEDESTRIAN', 'PARCEL', 'MAIL', 'OTHER']),
    sourceId: sourceIdField,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .superRefine((row, ctx) => {
    if (row.location === 'AT_PORT' && !row.portCode) {
      ctx.addIssue({ code: 'custom', path: ['portCode'], message: 'is required for a seizure at a port' });
    }
    if (row.location === 'BETWEEN_PORTS' && row.portCode) {
      ctx.addIssue({ code: 'custom', path: ['portCode'], message: 'must be empty for a seizure between ports' });
    }
    if (row.unit === 'DOSAGE_UNITS' && row.drug !== 'FENTANYL' && row.drug !== 'OTHER') {
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: 'dosage units are for pills (FENTANYL or OTHER); use a mass unit',
      });
    }
  })
  .transform((row) => {
    const factor = KG_PER[row.unit];
    return {
      ...row,
      objectiveId: borderTradeSynthetic.seizureObjective(row.drug, row.mode),
      quantityKg: factor === null ? null : row.quantity * factor,
    };
  });
export type DrugSeizureRow = z.infer<typeof schema>;

/** Drug seizures: validated, checked against the ports and sources, written with who and when. */
export const drugSeizureSpec: RecordSpec<Prisma.TransactionClient, DrugSeizureRow, DrugSeizure> = {
  operation: 'recordDrugSeizure',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: portAndSourceProblems,
  existing: async (tx, keys) =>
    new Map((await tx.drugSeizure.findMany({ where: { recordId: { in: keys } } })).map((s) => [s.recordId, s])),
  same: (stored, row) =>
    stored.location === row.location &&
    stored.portCode === row.portCode &&
    stored.stateCode === row.state &&
    sameDay(stored.seizedOn, row.seizedOn) &&
    stored.drug === row.drug &&
    stored.quantity === row.quantity &&
    stored.unit === row.unit &&
    stored.mode === row.mode &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  table: 'DrugSeizure',
  columns: drugSeizureColumns,
  keyColumns: ['recordId'],
};

/** The columns of a DrugSeizure row, for bulk inserts (imports and the synthetic loader). */
export function drugSeizureColumns(recordedBy: string): Column<Omit<DrugSeizureRow, 'state'> & { state: string }>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'location', type: '"SeizureLocation"', value: (r) => r.location },
    { name: 'portCode', type: 'text', value: (r) => r.portCode },
    { name: 'stateCode', type: 'text', value: (r) => r.state },
    { name: 'seizedOn', type: 'date', value: (r) => r.seizedOn },
    { name: 'drug', type: '"Drug"', value: (r) => r.drug },
    { name: 'quantity', type: 'float8', value: (r) => r.quantity },
    { name: 'unit', type: '"QuantityUnit"', value: (r) => r.unit },
    { name: 'quantityKg', type: 'float8', value: (r) => r.quantityKg },
    { name: 'mode', type: '"ConveyanceMode"', value: (r) => r.mode },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
