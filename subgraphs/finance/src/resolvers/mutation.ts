import { importRecords, observationSpec, recordOne, sourceSpec } from '@bicentennial/schema';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { MutationResolvers } from '../generated/graphql';
import { assetSeizureSpec } from '../records/assetSeizures';
import { designationSpec } from '../records/designations';

/** One interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
const inTransaction =
  (prisma: PrismaClient) =>
  <T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> =>
    prisma.$transaction(work, { maxWait: 10_000, timeout: 60_000 });

const observations = observationSpec('submitFinanceObservation');
const sources = sourceSpec('registerFinanceSource');

export const Mutation: MutationResolvers = {
  recordSanctionsDesignation: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), designationSpec, input, submission);
    return prisma.sanctionsDesignation.findUniqueOrThrow({ where: { recordId: key } });
  },
  importSanctionsDesignations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), designationSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordAssetSeizure: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), assetSeizureSpec, input, submission);
    return prisma.assetSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importAssetSeizures: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), assetSeizureSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitFinanceObservation: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), observations, input, submission);
    const [indicatorId = '', period = '', regionCode = '', sourceId = '', status] = key.split('|');
    return prisma.observation.findUniqueOrThrow({
      where: {
        indicatorId_period_regionCode_sourceId_status: {
          indicatorId,
          period,
          regionCode,
          sourceId,
          status: status === 'PROVISIONAL' ? 'PROVISIONAL' : 'FINAL',
        },
      },
      include: { source: true },
    });
  },
  importFinanceObservations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), observations, rows, { dryRun: dryRun ?? false, submittedBy }),
  registerFinanceSource: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), sources, input, submission);
    return prisma.source.findUniqueOrThrow({ where: { id: key } });
  },
};
