import {
  type Column,
  count,
  eventDate,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceIdField,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import { z } from 'zod';
import type { Prisma, SanctionsDesignation } from '../generated/prisma/client';
import { optionalText, organizationAndSourceProblems, organizationField, text } from './references';

/** In the order the SDL lists them: a row's authorities are kept in this order, whatever order they came in. */
export const AUTHORITIES = ['EO_14059', 'EO_13224', 'FTO_INA_219', 'KINGPIN_ACT', 'EO_14157'] as const;
export type Authority = (typeof AUTHORITIES)[number];
export const isAuthority = (value: string): value is Authority => (AUTHORITIES as readonly string[]).includes(value);

/** Foreign Terrorist Organization designations count toward 3.1.4 (sanctioning criminal networks), others 3.1.1. */
export const designationObjective = (authorities: readonly string[]) =>
  authorities.includes('FTO_INA_219') ? '3.1.4' : '3.1.1';

const optionalCount = (max: number) =>
  count(max)
    .nullish()
    .transform((v) => v ?? null);

const schema = z
  .object({
    recordId: recordIdField,
    designatedOn: eventDate,
    datePrecision: z
      .enum(['DAY', 'MONTH'], { message: 'must be DAY or MONTH' })
      .nullish()
      .transform((v) => v ?? 'DAY'),
    designatedBy: text(300),
    authorities: z.array(z.enum(AUTHORITIES, { message: `must be one of ${AUTHORITIES.join(', ')}` })),
    targetKind: z.enum(['INDIVIDUAL', 'ENTITY', 'MIXED'], { message: 'must be INDIVIDUAL, ENTITY or MIXED' }),
    individuals: optionalCount(100_000),
    entities: optionalCount(100_000),
    countryCount: optionalCount(250),
    namedTargets: z
      .array(text(200))
      .max(100, 'must name at most 100 targets')
      .nullish()
      .transform((v) => v ?? []),
    organization: organizationField,
    note: optionalText(2000),
    sourceId: sourceIdField,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .superRefine((row, ctx) => {
    if (row.datePrecision === 'MONTH' && row.designatedOn.getUTCDate() !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['designatedOn'],
        message: 'must be the first day of the month when datePrecision is MONTH',
      });
    }
    const repeated = row.authorities.find((a, i) => row.authorities.indexOf(a) !== i);
    if (repeated) ctx.addIssue({ code: 'custom', path: ['authorities'], message: `lists ${repeated} twice` });
    const named = row.namedTargets.find((t, i) => row.namedTargets.indexOf(t) !== i);
    if (named) ctx.addIssue({ code: 'custom', path: ['namedTargets'], message: `names ${named} twice` });
    if (row.targetKind === 'INDIVIDUAL' && (row.entities ?? 0) > 0) {
      ctx.addIssue({ code: 'custom', path: ['entities'], message: 'must be 0 or empty when targetKind is INDIVIDUAL' });
    }
    if (row.targetKind === 'ENTITY' && (row.individuals ?? 0) > 0) {
      ctx.addIssue({ code: 'custom', path: ['individuals'], message: 'must be 0 or empty when targetKind is ENTITY' });
    }
    if (row.targetKind === 'MIXED') {
      for (const field of ['individuals', 'entities'] as const) {
        if (row[field] === 0) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'must be more than 0 when targetKind is MIXED' });
        }
      }
    }
    if (row.authorities.includes('FTO_INA_219') && !row.organization) {
      ctx.addIssue({
        code: 'custom',
        path: ['organization'],
        message: 'is required for a Foreign Terrorist Organization designation (FTO_INA_219)',
      });
    }
  })
  .transform((row) => ({
    ...row,
    authorities: AUTHORITIES.filter((a) => row.authorities.includes(a)),
    objectiveId: designationObjective(row.authorities),
  }));
export type DesignationRow = z.infer<typeof schema>;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Sanctions designations: validated, checked against organizations and sources, written with who and when. */
export const designationSpec: RecordSpec<Prisma.TransactionClient, DesignationRow, SanctionsDesignation> = {
  operation: 'recordSanctionsDesignation',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: organizationAndSourceProblems,
  existing: async (tx, keys) =>
    new Map(
      (await tx.sanctionsDesignation.findMany({ where: { recordId: { in: keys } } })).map((d) => [d.recordId, d]),
    ),
  same: (stored, row) =>
    sameDay(stored.designatedOn, row.designatedOn) &&
    stored.datePrecision === row.datePrecision &&
    stored.designatedBy === row.designatedBy &&
    sameList(stored.authorities, row.authorities) &&
    stored.targetKind === row.targetKind &&
    stored.individuals === row.individuals &&
    stored.entities === row.entities &&
    stored.countryCount === row.countryCount &&
    sameList(stored.namedTargets, row.namedTargets) &&
    stored.organizationSlug === row.organization &&
    stored.note === row.note &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  table: 'SanctionsDesignation',
  columns: designationColumns,
  keyColumns: ['recordId'],
};

/** The columns of a SanctionsDesignation row, for bulk inserts. */
export function designationColumns(recordedBy: string): Column<DesignationRow>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'designatedOn', type: 'date', value: (r) => r.designatedOn },
    { name: 'datePrecision', type: '"DatePrecision"', value: (r) => r.datePrecision },
    { name: 'designatedBy', type: 'text', value: (r) => r.designatedBy },
    { name: 'authorities', type: 'text[]', value: (r) => r.authorities },
    { name: 'targetKind', type: '"TargetKind"', value: (r) => r.targetKind },
    { name: 'individuals', type: 'int4', value: (r) => r.individuals },
    { name: 'entities', type: 'int4', value: (r) => r.entities },
    { name: 'countryCount', type: 'int4', value: (r) => r.countryCount },
    { name: 'namedTargets', type: 'text[]', value: (r) => r.namedTargets },
    { name: 'organizationSlug', type: 'text', value: (r) => r.organization },
    { name: 'note', type: 'text', value: (r) => r.note },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
