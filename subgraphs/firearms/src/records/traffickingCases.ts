import {
  eventDate,
  type Column,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceProblems,
  sourceIdField,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import { z } from 'zod';
import type { Prisma, TraffickingCase } from '../generated/prisma/client';
import { COUNTRIES, knownOrganization } from './references';

export const CASE_STATUSES = ['UNDER_INVESTIGATION', 'CHARGED', 'CONVICTED', 'ACQUITTED', 'DISMISSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Statuses that only follow charges: the day of the charges must be known. */
const CHARGED = new Set<string>(['CHARGED', 'CONVICTED', 'ACQUITTED']);
/** Statuses that end a case: only these have a `closedOn`. */
const FINAL = new Set<string>(['CONVICTED', 'ACQUITTED', 'DISMISSED']);

const schema = z
  .object({
    recordId: recordIdField,
    country: z.enum(COUNTRIES, { message: 'must be US or MX' }),
    office: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    openedOn: eventDate,
    chargedOn: eventDate.nullish().transform((v) => v ?? null),
    caseStatus: z.enum(CASE_STATUSES, { message: `must be one of ${CASE_STATUSES.join(', ')}` }),
    closedOn: eventDate.nullish().transform((v) => v ?? null),
    defendants: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(10_000, 'must be at most 10000'),
    firearmsInvolved: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(1_000_000, 'must be at most 1000000'),
    highLevel: z.boolean({ message: 'must be true or false' }),
    organization: knownOrganization,
    sourceId: sourceIdField,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .superRefine((row, ctx) => {
    if (row.chargedOn && row.chargedOn < row.openedOn) {
      ctx.addIssue({ code: 'custom', path: ['chargedOn'], message: 'must not be before openedOn' });
    }
    if (row.caseStatus === 'UNDER_INVESTIGATION' && row.chargedOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['chargedOn'],
        message: 'must be empty while the case is UNDER_INVESTIGATION (charged cases are CHARGED or later)',
      });
    }
    if (CHARGED.has(row.caseStatus) && !row.chargedOn) {
      ctx.addIssue({ code: 'custom', path: ['chargedOn'], message: `is required for a ${row.caseStatus} case` });
    }
    if (row.closedOn && !FINAL.has(row.caseStatus)) {
      ctx.addIssue({
        code: 'custom',
        path: ['closedOn'],
        message: `must be empty while the case is ${row.caseStatus} (only CONVICTED, ACQUITTED or DISMISSED cases are closed)`,
      });
    } else if (row.closedOn && row.closedOn < (row.chargedOn ?? row.openedOn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['closedOn'],
        message: `must not be before ${row.chargedOn ? 'chargedOn' : 'openedOn'}`,
      });
    }
  })
  .transform((row) => ({ ...row, objectiveId: '2.2.3' }));
export type TraffickingCaseRow = z.infer<typeof schema>;

/** Trafficking investigations and prosecutions, validated and written like firearm seizures. */
export const traffickingCaseSpec: RecordSpec<Prisma.TransactionClient, TraffickingCaseRow, TraffickingCase> = {
  operation: 'recordTraffickingCase',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: sourceProblems,
  existing: async (tx, keys) =>
    new Map((await tx.traffickingCase.findMany({ where: { recordId: { in: keys } } })).map((c) => [c.recordId, c])),
  same: (stored, row) =>
    stored.country === row.country &&
    stored.office === row.office &&
    sameDay(stored.openedOn, row.openedOn) &&
    (stored.chargedOn === null || row.chargedOn === null
      ? stored.chargedOn === row.chargedOn
      : sameDay(stored.chargedOn, row.chargedOn)) &&
    stored.caseStatus === row.caseStatus &&
    (stored.closedOn === null || row.closedOn === null
      ? stored.closedOn === row.closedOn
      : sameDay(stored.closedOn, row.closedOn)) &&
    stored.defendants === row.defendants &&
    stored.firearmsInvolved === row.firearmsInvolved &&
    stored.highLevel === row.highLevel &&
    stored.organizationSlug === row.organization &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  table: 'TraffickingCase',
  columns: traffickingCaseColumns,
  keyColumns: ['recordId'],
};

/** The columns of a TraffickingCase row, for bulk inserts (imports and the synthetic loader). */
export function traffickingCaseColumns(recordedBy: string): Column<TraffickingCaseRow>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'country', type: 'text', value: (r) => r.country },
    { name: 'office', type: 'text', value: (r) => r.office },
    { name: 'openedOn', type: 'date', value: (r) => r.openedOn },
    { name: 'chargedOn', type: 'date', value: (r) => r.chargedOn },
    { name: 'caseStatus', type: '"CaseStatus"', value: (r) => r.caseStatus },
    { name: 'closedOn', type: 'date', value: (r) => r.closedOn },
    { name: 'defendants', type: 'int4', value: (r) => r.defendants },
    { name: 'firearmsInvolved', type: 'int4', value: (r) => r.firearmsInvolved },
    { name: 'highLevel', type: 'bool', value: (r) => r.highLevel },
    { name: 'organizationSlug', type: 'text', value: (r) => r.organization },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
