import {
  eventDate,
  type Column,
  recordIdField,
  releasabilityField,
  sameDay,
  sourceIdField,
  sourceProblems,
  statusField,
  type RecordSpec,
} from '@bicentennial/subgraph-kit';
import { z } from 'zod';
import type { FirearmSeizure, Prisma } from '../generated/prisma/client';
import { COUNTRIES, landPorts, knownOrganization, stateProblem } from './references';

export const FIREARM_TYPES = ['HANDGUN', 'RIFLE', 'SHOTGUN', 'MACHINE_GUN', 'OTHER'] as const;
export const SEIZING_AGENCIES = [
  'CBP',
  'ATF',
  'HSI',
  'FBI',
  'SEDENA',
  'SEMAR',
  'FGR',
  'SSPC',
  'GUARDIA_NACIONAL',
  'OTHER',
] as const;
type SeizingAgency = (typeof SEIZING_AGENCIES)[number];

/** Which country's agency each is (OTHER may be either: state or local police, customs, prosecutors). */
const AGENCY_COUNTRY: Record<SeizingAgency, 'US' | 'MX' | null> = {
  CBP: 'US',
  ATF: 'US',
  HSI: 'US',
  FBI: 'US',
  SEDENA: 'MX',
  SEMAR: 'MX',
  FGR: 'MX',
  SSPC: 'MX',
  GUARDIA_NACIONAL: 'MX',
  OTHER: null,
};

const schema = z
  .object({
    recordId: recordIdField,
    seizedOn: eventDate,
    country: z.enum(COUNTRIES, { message: 'must be US or MX' }),
    state: z.string().trim(),
    portCode: z
      .string()
      .trim()
      .regex(/^\d{4}$/, 'must be a 4-digit CBP port code')
      .nullish()
      .transform((v) => v ?? null),
    firearmType: z.enum(FIREARM_TYPES, { message: `must be one of ${FIREARM_TYPES.join(', ')}` }),
    firearms: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(100_000, 'must be at most 100000'),
    ammunitionRounds: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(100_000_000, 'must be at most 100000000'),
    seizingAgency: z.enum(SEIZING_AGENCIES, { message: `must be one of ${SEIZING_AGENCIES.join(', ')}` }),
    organization: knownOrganization,
    sourceId: sourceIdField,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .superRefine((row, ctx) => {
    const wrongState = stateProblem(row.state, row.country);
    if (wrongState) ctx.addIssue({ code: 'custom', path: ['state'], message: wrongState });
    if (row.portCode) {
      const port = landPorts().get(row.portCode);
      if (!port) {
        ctx.addIssue({
          code: 'custom',
          path: ['portCode'],
          message: `${row.portCode} is not a U.S.–Mexico land port of entry (CBP port code, e.g. 2504 San Ysidro)`,
        });
      } else if (!wrongState) {
        const side = row.country === 'US' ? port.stateCode : port.counterpartState;
        if (side !== row.state) {
          ctx.addIssue({
            code: 'custom',
            path: ['state'],
            message: side
              ? `port ${port.code} is in ${port.stateCode}, across from ${port.counterpartState ?? 'an unlisted state'}: on the ${row.country} side, state must be ${side}, not ${row.state}`
              : `port ${port.code} has no Mexican counterpart state in the reference list`,
          });
        }
      }
    }
    const agencyCountry = AGENCY_COUNTRY[row.seizingAgency];
    if (agencyCountry && agencyCountry !== row.country) {
      ctx.addIssue({
        code: 'custom',
        path: ['seizingAgency'],
        message: `${row.seizingAgency} is a ${agencyCountry === 'US' ? 'U.S.' : 'Mexican'} agency; a seizure in ${row.country} needs an agency of ${row.country} (or OTHER)`,
      });
    }
  })
  .transform((row) => ({ ...row, objectiveId: '2.2.1' }));
export type FirearmSeizureRow = z.infer<typeof schema>;

/** Firearm seizures: validated against the reference lists and the sources, written with who and when. */
export const firearmSeizureSpec: RecordSpec<Prisma.TransactionClient, FirearmSeizureRow, FirearmSeizure> = {
  operation: 'recordFirearmSeizure',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: sourceProblems,
  existing: async (tx, keys) =>
    new Map((await tx.firearmSeizure.findMany({ where: { recordId: { in: keys } } })).map((s) => [s.recordId, s])),
  same: (stored, row) =>
    sameDay(stored.seizedOn, row.seizedOn) &&
    stored.country === row.country &&
    stored.stateCode === row.state &&
    stored.portCode === row.portCode &&
    stored.firearmType === row.firearmType &&
    stored.firearms === row.firearms &&
    stored.ammunitionRounds === row.ammunitionRounds &&
    stored.seizingAgency === row.seizingAgency &&
    stored.organizationSlug === row.organization &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  table: 'FirearmSeizure',
  columns: firearmSeizureColumns,
  keyColumns: ['recordId'],
};

/** The columns of a FirearmSeizure row, for bulk inserts (imports and the synthetic loader). */
export function firearmSeizureColumns(recordedBy: string): Column<FirearmSeizureRow>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'seizedOn', type: 'date', value: (r) => r.seizedOn },
    { name: 'country', type: 'text', value: (r) => r.country },
    { name: 'stateCode', type: 'text', value: (r) => r.state },
    { name: 'portCode', type: 'text', value: (r) => r.portCode },
    { name: 'firearmType', type: '"FirearmType"', value: (r) => r.firearmType },
    { name: 'firearms', type: 'int4', value: (r) => r.firearms },
    { name: 'ammunitionRounds', type: 'int4', value: (r) => r.ammunitionRounds },
    { name: 'seizingAgency', type: '"SeizingAgency"', value: (r) => r.seizingAgency },
    { name: 'organizationSlug', type: 'text', value: (r) => r.organization },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
