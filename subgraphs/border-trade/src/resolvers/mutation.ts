import { importRecords, observationSpec, recordOne, sourceSpec } from '@bicentennial/schema';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { MutationResolvers } from '../generated/graphql';
import { drugSeizureSpec } from '../records/drugSeizures';
import { interdictionSpec } from '../records/interdictions';

/** One interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
const inTransaction =
  (prisma: PrismaClient) =>
  <T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> =>
    prisma.$transaction(work, { maxWait: 10_000, timeout: 60_000 });

const observations = observationSpec('submitBorderTradeObservation');
const sources = sourceSpec('registerBorderTradeSource');

export const Mutation: MutationResolvers = {
  recordDrugSeizure: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), drugSeizureSpec, input, submission);
    return prisma.drugSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importDrugSeizures: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), drugSeizureSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordSmugglingInterdiction: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), interdictionSpec, input, submission);
    return prisma.smugglingInterdiction.findUniqueOrThrow({ where: { recordId: key } });
  },
  importSmugglingInterdictions: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), interdictionSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitBorderTradeObservation: async (_parent, { input, submission }, { prisma }) => {
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
  importBorderTradeObservations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), observations, rows, { dryRun: dryRun ?? false, submittedBy }),
  registerBorderTradeSource: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), sources, input, submission);
    return prisma.source.findUniqueOrThrow({ where: { id: key } });
  },
};
