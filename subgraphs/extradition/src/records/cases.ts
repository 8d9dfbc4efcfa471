import {
  type Column,
  eventDate,
  isoDay as day,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceIdField,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import { ORGANIZATION_SLUG, organizationSlugs } from '@bicentennial/seeds';
import { SYNTHETIC_PERSON_PREFIX } from '@bicentennial/seeds/synthetic/extradition';
import { z } from 'zod';
import type { ExtraditionCase, Prisma } from '../generated/prisma/client';

export const EXTRADITION_OBJECTIVE = '3.4.1';
export const TREATY_PARTIES = ['US', 'MX'] as const;
export const STATUSES = ['REQUESTED', 'APPROVED', 'EXTRADITED', 'TRANSFERRED', 'DENIED'] as const;
export const MECHANISMS = ['FORMAL_EXTRADITION', 'NATIONAL_SECURITY_TRANSFER', 'PRISONER_TRANSFER_TREATY'] as const;
export const CHARGES = [
  'CRIMINAL_ASSOCIATION',
  'DRUG_OFFENSES',
  'FIREARMS',
  'MONEY_LAUNDERING',
  'MIGRANT_SMUGGLING',
  'HOMICIDE',
  'CHILD_SEXUAL_ABUSE',
  'ORGANIZED_CRIME',
  'OTHER',
] as const;
export type Status = (typeof STATUSES)[number];
export type Mechanism = (typeof MECHANISMS)[number];
type DayField = 'requestedOn' | 'approvedOn' | 'surrenderedOn' | 'deniedOn';

/** The day field each status is reached on. */
export const DAY_OF: Record<Status, DayField> = {
  REQUESTED: 'requestedOn',
  APPROVED: 'approvedOn',
  EXTRADITED: 'surrenderedOn',
  TRANSFERRED: 'surrenderedOn',
  DENIED: 'deniedOn',
};

/** Days of steps a case at this status has not taken (they must be empty). */
const NOT_YET: Record<Status, DayField[]> = {
  REQUESTED: ['approvedOn', 'surrenderedOn', 'deniedOn'],
  APPROVED: ['surrenderedOn', 'deniedOn'],
  EXTRADITED: ['deniedOn'],
  TRANSFERRED: ['deniedOn'],
  DENIED: ['surrenderedOn'],
};

/** Pairs of days that must not go backwards: [earlier, later]. */
const ORDER: [DayField, DayField][] = [
  ['requestedOn', 'approvedOn'],
  ['requestedOn', 'surrenderedOn'],
  ['approvedOn', 'surrenderedOn'],
  ['requestedOn', 'deniedOn'],
  ['approvedOn', 'deniedOn'],
];

/**
 * Whether `mechanism` fits `status`: EXTRADITED is formal extradition by definition, and a
 * TRANSFERRED person went by another route. Returns the problem in words, or null.
 */
export function mechanismProblem(status: Status, mechanism: Mechanism): string | null {
  if (status === 'EXTRADITED' && mechanism !== 'FORMAL_EXTRADITION') {
    return `an EXTRADITED case goes by FORMAL_EXTRADITION, not ${mechanism}`;
  }
  if (status === 'TRANSFERRED' && mechanism === 'FORMAL_EXTRADITION') {
    return 'a TRANSFERRED case goes by NATIONAL_SECURITY_TRANSFER or PRISONER_TRANSFER_TREATY (formal extradition is EXTRADITED)';
  }
  return null;
}

const optionalDay = eventDate.nullish().transform((v) => v ?? null);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty (leave it out instead)')
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v ?? null);

const schema = z
  .object({
    recordId: recordIdField,
    person: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    alias: optionalText(100),
    requestingCountry: z.enum(TREATY_PARTIES, { message: 'must be US or MX' }),
    requestedCountry: z.enum(TREATY_PARTIES, { message: 'must be US or MX' }),
    status: z.enum(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` }),
    requestedOn: optionalDay,
    approvedOn: optionalDay,
    surrenderedOn: optionalDay,
    deniedOn: optionalDay,
    transferMechanism: z.enum(MECHANISMS, { message: `must be one of ${MECHANISMS.join(', ')}` }),
    charges: z
      .array(z.enum(CHARGES, { message: `must be one of ${CHARGES.join(', ')}` }))
      .refine((charges) => new Set(charges).size === charges.length, 'must not name a charge twice')
      // One order for the same set, so that a re-sent case in another order is the same case.
      .transform((charges) => [...charges].sort((a, b) => CHARGES.indexOf(a) - CHARGES.indexOf(b))),
    destination: optionalText(200),
    organization: z
      .string()
      .trim()
      .max(60, 'must be at most 60 characters')
      .regex(ORGANIZATION_SLUG, 'must be an upper-case organization slug such as SINALOA')
      .nullish()
      .transform((v) => v ?? null),
    transferActionId: recordIdField.nullish().transform((v) => v ?? null),
    notable: z
      .boolean({ message: 'must be true or false' })
      .nullish()
      .transform((v) => v ?? false),
    sourceId: sourceIdField,
    recordStatus: statusField,
    releasableTo: releasabilityField,
  })
  .superRefine((row, ctx) => {
    if (row.requestingCountry === row.requestedCountry) {
      ctx.addIssue({ code: 'custom', path: ['requestedCountry'], message: 'must not be the requesting country' });
    }
    for (const field of NOT_YET[row.status]) {
      if (row[field] !== null) {
        ctx.addIssue({ code: 'custom', path: [field], message: `must be empty when status is ${row.status}` });
      }
    }
    for (const [earlier, later] of ORDER) {
      const [from, to] = [row[earlier], row[later]];
      if (from && to && to < from) {
        ctx.addIssue({ code: 'custom', path: [later], message: `must not be before ${earlier} (${day(from)})` });
      }
    }
    const problem = mechanismProblem(row.status, row.transferMechanism);
    if (problem) ctx.addIssue({ code: 'custom', path: ['transferMechanism'], message: problem });
  })
  .transform((row, ctx) => {
    const field = DAY_OF[row.status];
    const statusOn = row[field];
    if (!statusOn) {
      ctx.addIssue({ code: 'custom', path: [field], message: `is required when status is ${row.status}` });
      return z.NEVER;
    }
    return { ...row, objectiveId: EXTRADITION_OBJECTIVE, statusOn };
  });
export type ExtraditionCaseRow = z.infer<typeof schema>;

type Problem = { index: number; field: string; message: string };

/**
 * Checks what rows refer to, three queries for the whole batch: a registered source (and, for a
 * synthetic one, a person labelled as synthetic), a known organization, an existing transfer of
 * the same mechanism whose days hold the surrender day.
 */
async function caseReferenceProblems(tx: Prisma.TransactionClient, rows: ExtraditionCaseRow[]): Promise<Problem[]> {
  const sourceIds = [...new Set(rows.map((r) => r.sourceId))];
  const sources = new Map(
    (await tx.source.findMany({ where: { id: { in: sourceIds } }, select: { id: true, kind: true } })).map((s) => [
      s.id,
      s.kind,
    ]),
  );
  const transferIds = [...new Set(rows.flatMap((r) => (r.transferActionId ? [r.transferActionId] : [])))];
  const transfers = new Map(
    (
      await tx.transferAction.findMany({
        where: { recordId: { in: transferIds } },
        select: { recordId: true, mechanism: true, startedOn: true, endedOn: true },
      })
    ).map((t) => [t.recordId, t]),
  );
  const organizations = organizationSlugs();
  return rows.flatMap((row, index) => {
    const problems: Problem[] = [];
    const kind = sources.get(row.sourceId);
    if (kind === undefined) {
      problems.push({ index, field: 'sourceId', message: `source ${row.sourceId} does not exist; register it first` });
    } else if (kind === 'SYNTHETIC' && !row.person.startsWith(`${SYNTHETIC_PERSON_PREFIX} `)) {
      problems.push({
        index,
        field: 'person',
        message: `a case from a SYNTHETIC source names its person "${SYNTHETIC_PERSON_PREFIX} …", never a real-looking name`,
      });
    }
    if (row.organization && !organizations.has(row.organization)) {
      problems.push({
        index,
        field: 'organization',
        message: `organization ${row.organization} is not a known criminal organization (seeds/finance/organizations.json)`,
      });
    }
    if (row.transferActionId) {
      const transfer = transfers.get(row.transferActionId);
      if (!transfer) {
        problems.push({
          index,
          field: 'transferActionId',
          message: `transfer ${row.transferActionId} does not exist`,
        });
      } else if (transfer.mechanism !== row.transferMechanism) {
        problems.push({
          index,
          field: 'transferMechanism',
          message: `transfer ${row.transferActionId} was a ${transfer.mechanism}, not ${row.transferMechanism}`,
        });
      } else if (!row.surrenderedOn || row.surrenderedOn < transfer.startedOn || row.surrenderedOn > transfer.endedOn) {
        problems.push({
          index,
          field: 'surrenderedOn',
          message: `must be a day of transfer ${row.transferActionId} (${day(transfer.startedOn)} to ${day(transfer.endedOn)})`,
        });
      }
    }
    return problems;
  });
}

const sameOptionalDay = (a: Date | null, b: Date | null) => (a && b ? sameDay(a, b) : a === b);

/** Extradition cases: validated, checked against sources, organizations and transfers, written with who and when. */
export const extraditionCaseSpec: RecordSpec<Prisma.TransactionClient, ExtraditionCaseRow, ExtraditionCase> = {
  operation: 'recordExtraditionCase',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: caseReferenceProblems,
  existing: async (tx, keys) =>
    new Map((await tx.extraditionCase.findMany({ where: { recordId: { in: keys } } })).map((c) => [c.recordId, c])),
  same: (stored, row) =>
    stored.person === row.person &&
    stored.alias === row.alias &&
    stored.requestingCountry === row.requestingCountry &&
    stored.requestedCountry === row.requestedCountry &&
    stored.caseStatus === row.status &&
    sameOptionalDay(stored.requestedOn, row.requestedOn) &&
    sameOptionalDay(stored.approvedOn, row.approvedOn) &&
    sameOptionalDay(stored.surrenderedOn, row.surrenderedOn) &&
    sameOptionalDay(stored.deniedOn, row.deniedOn) &&
    stored.transferMechanism === row.transferMechanism &&
    stored.charges.join(',') === row.charges.join(',') &&
    stored.destination === row.destination &&
    stored.organizationSlug === row.organization &&
    stored.transferActionId === row.transferActionId &&
    stored.notable === row.notable &&
    stored.sourceId === row.sourceId &&
    stored.status === row.recordStatus &&
    stored.releasableTo === row.releasableTo,
  table: 'ExtraditionCase',
  columns: extraditionCaseColumns,
  keyColumns: ['recordId'],
};

/** The columns of an ExtraditionCase row, for bulk inserts (the input's `status` is the case's). */
export function extraditionCaseColumns(recordedBy: string): Column<ExtraditionCaseRow>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'person', type: 'text', value: (r) => r.person },
    { name: 'alias', type: 'text', value: (r) => r.alias },
    { name: 'requestingCountry', type: '"TreatyParty"', value: (r) => r.requestingCountry },
    { name: 'requestedCountry', type: '"TreatyParty"', value: (r) => r.requestedCountry },
    { name: 'caseStatus', type: '"ExtraditionStatus"', value: (r) => r.status },
    { name: 'statusOn', type: 'date', value: (r) => r.statusOn },
    { name: 'requestedOn', type: 'date', value: (r) => r.requestedOn },
    { name: 'approvedOn', type: 'date', value: (r) => r.approvedOn },
    { name: 'surrenderedOn', type: 'date', value: (r) => r.surrenderedOn },
    { name: 'deniedOn', type: 'date', value: (r) => r.deniedOn },
    { name: 'transferMechanism', type: '"TransferMechanism"', value: (r) => r.transferMechanism },
    { name: 'charges', type: '"ExtraditionCharge"[]', value: (r) => r.charges },
    { name: 'destination', type: 'text', value: (r) => r.destination },
    { name: 'organizationSlug', type: 'text', value: (r) => r.organization },
    { name: 'notable', type: 'bool', value: (r) => r.notable },
    { name: 'transferActionId', type: 'text', value: (r) => r.transferActionId },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.recordStatus },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
