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
import * as financeSynthetic from '@bicentennial/seeds/synthetic/finance';
import { z } from 'zod';
import type { AssetSeizure, Prisma } from '../generated/prisma/client';
import { organizationAndSourceProblems, organizationField, text } from './references';

const schema = z
  .object({
    recordId: recordIdField,
    seizedOn: eventDate,
    country: z.enum(['US', 'MX'], { message: 'must be US or MX' }),
    seizingAuthority: text(200),
    organization: organizationField,
    assetType: z.enum(['CASH', 'BANK_ACCOUNT', 'REAL_ESTATE', 'VEHICLE', 'CRYPTOCURRENCY', 'OTHER']),
    amountUsd: z
      .number({ message: 'must be a number' })
      .finite('must be a finite number')
      .positive('must be more than 0')
      .max(100_000_000_000, 'must be at most 100,000,000,000'),
    cyberEnabled: z.boolean({ message: 'must be true or false' }),
    sourceId: sourceIdField,
    status: statusField,
    releasableTo: releasabilityField,
  })
  .superRefine((row, ctx) => {
    if (row.assetType === 'CRYPTOCURRENCY' && !row.cyberEnabled) {
      ctx.addIssue({ code: 'custom', path: ['cyberEnabled'], message: 'must be true for a CRYPTOCURRENCY seizure' });
    }
  })
  .transform((row) => ({ ...row, objectiveId: financeSynthetic.assetSeizureObjective(row.cyberEnabled) }));
export type AssetSeizureRow = z.infer<typeof schema>;

/** Asset seizures, validated and written like sanctions designations. */
export const assetSeizureSpec: RecordSpec<Prisma.TransactionClient, AssetSeizureRow, AssetSeizure> = {
  operation: 'recordAssetSeizure',
  schema,
  key: (row) => row.recordId,
  keyField: 'recordId',
  references: organizationAndSourceProblems,
  existing: async (tx, keys) =>
    new Map((await tx.assetSeizure.findMany({ where: { recordId: { in: keys } } })).map((s) => [s.recordId, s])),
  same: (stored, row) =>
    sameDay(stored.seizedOn, row.seizedOn) &&
    stored.countryCode === row.country &&
    stored.seizingAuthority === row.seizingAuthority &&
    stored.organizationSlug === row.organization &&
    stored.assetType === row.assetType &&
    stored.amountUsd === row.amountUsd &&
    stored.cyberEnabled === row.cyberEnabled &&
    stored.sourceId === row.sourceId &&
    stored.status === row.status &&
    stored.releasableTo === row.releasableTo,
  table: 'AssetSeizure',
  columns: assetSeizureColumns,
  keyColumns: ['recordId'],
};

/** The columns of an AssetSeizure row, for bulk inserts (imports and the synthetic loader). */
export function assetSeizureColumns(recordedBy: string): Column<AssetSeizureRow>[] {
  return [
    { name: 'recordId', type: 'text', value: (r) => r.recordId },
    { name: 'objectiveId', type: 'text', value: (r) => r.objectiveId },
    { name: 'seizedOn', type: 'date', value: (r) => r.seizedOn },
    { name: 'countryCode', type: 'text', value: (r) => r.country },
    { name: 'seizingAuthority', type: 'text', value: (r) => r.seizingAuthority },
    { name: 'organizationSlug', type: 'text', value: (r) => r.organization },
    { name: 'assetType', type: '"AssetType"', value: (r) => r.assetType },
    { name: 'amountUsd', type: 'float8', value: (r) => r.amountUsd },
    { name: 'cyberEnabled', type: 'boolean', value: (r) => r.cyberEnabled },
    { name: 'sourceId', type: 'text', value: (r) => r.sourceId },
    { name: 'status', type: '"ObservationStatus"', value: (r) => r.status },
    { name: 'releasableTo', type: '"Releasability"', value: (r) => r.releasableTo },
    { name: 'recordedBy', type: 'text', value: () => recordedBy },
  ];
}
