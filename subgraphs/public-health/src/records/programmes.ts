import {
  count,
  eventDate,
  type Column,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceProblems,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import { MX_STATES, PROGRAMME_KINDS, programmeObjective, US_STATES } from '@bicentennial/seeds/synthetic/publicHealth';
import { z } from 'zod';
import type { Prisma, Programme } from '../generated/prisma/client';
import { noteField, optionalAmount, qualifierField, registeredSourceId } from './fields';

const STATES: Record<'US' | 'MX', readonly string[]> = { US: US_STATES, MX: MX_STATES };

const schema = z
  .object({
    recordId: recordIdField,
    name: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters'),
    kind: z.enum(PROGRAMME_KINDS, { message: `must be one of ${PROGRAMME_KINDS.join(', ')}` }),
    country: z
      .enum(['US', 'MX'], { message: 'must be US or MX (leave it out for a binational programme)' })
      .nullish()
      .transform((v) => v ?? null),
    region: z
      .string()
      .trim()
      .nullish()
      .transform((v) => v || null),
    startedOn: eventDate,
    endedOn: eventDate.nullish().transform((v) => v ?? null),
    fundingUsd: optionalAmount(1_000_000_000_000),
    fundingQualifier: qualifierField,
    peopleReached: count(1_000_000_000)
      .nullish()
      .transform((v) => v ?? null),
    note: noteField,
    sourceId: registeredSourceId,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .transform((row, ctx) => {
    if (row.region !== null) {
      if (row.country === null) {
        ctx.addIssue({ code: 'custom', path: ['region'], message: 'a state needs its country (US or MX)' });
      } else if (!STATES[row.country].includes(row.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['region'],
          message: `must be the ISO 3166-2 code of a state of ${row.country} such as ${row.country === 'US' ? 'US-TX' : 'MX-GUA'}`,
        });
      }
    }
    if (row.endedOn !== null && row.endedOn < row.startedOn) {
      ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'must not be before startedOn' });
    }
    if (row.fundingUsd === null && row.fundingQualifier !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['fundingQualifier'],
        message: 'qualifies fundingUsd: give the amount too',
      });
    }
    return {
      ...row,
      fundingQualifier: row.fundingUsd === null ? null : (row.fundingQualifier ?? 'EXACT'),
      objectiveId: programmeObjective(row.kind),
    };
  });
export type ProgrammeRow = z.infer<typeof schema>;

const sameOptionalDay = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : sameDay(a, b));

/** Programmes: validated, checked against the sources, written with who and when. */
export const programmeSpec: RecordSpec<Prisma.TransactionClient, ProgrammeRow, Programme> = {
  operation: 'recordProgramme',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: sourceProblems,
  existing: async (tx, keys) =>
    new Map((await tx.programme.findMany({ where: { recordId: { in: keys } } })).map((p) => [p.recordId, p])),
  same: (stored, row) =>
    stored.name === row.name &&
    stored.kind === row.kind &&
    stored.countryCode === row.country &&
    stored.regionCode === row.region &&
    sameDay(stored.startedOn, row.startedOn) &&
    sameOptionalDay(stored.endedOn, row.endedOn) &&
    stored.fundingUsd === row.fundingUsd &&
    stored.fundingQualifier === row.fundingQualifier &&
    stored.peopleReached === row.peopleReached &&
    stored.note === row.note &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  table: 'Programme',
  columns: programmeColumns,
  keyColumns: ['recordId'],
};

/** The columns of a Programme row, for bulk inserts (imports and the synthetic loader). */
export function programmeColumns(recordedBy: string): Column<ProgrammeRow>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'name', type: 'text', value: (r) => r.name },
    { name: 'kind', type: '"ProgrammeKind"', value: (r) => r.kind },
    { name: 'countryCode', type: 'text', value: (r) => r.country },
    { name: 'regionCode', type: 'text', value: (r) => r.region },
    { name: 'startedOn', type: 'date', value: (r) => r.startedOn },
    { name: 'endedOn', type: 'date', value: (r) => r.endedOn },
    { name: 'fundingUsd', type: 'float8', value: (r) => r.fundingUsd },
    { name: 'fundingQualifier', type: '"ValueQualifier"', value: (r) => r.fundingQualifier },
    { name: 'peopleReached', type: 'int4', value: (r) => r.peopleReached },
    { name: 'note', type: 'text', value: (r) => r.note },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
