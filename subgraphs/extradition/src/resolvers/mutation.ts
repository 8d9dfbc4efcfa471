import { importRecords, observationSpec, recordOne, sourceSpec } from '@bicentennial/schema';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { MutationResolvers } from '../generated/graphql';
import { extraditionCaseSpec } from '../records/cases';
import { changeStatus } from '../records/statusChange';

/** One interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
const inTransaction =
  (prisma: PrismaClient) =>
  <T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> =>
    prisma.$transaction(work, { maxWait: 10_000, timeout: 60_000 });

const observations = observationSpec('submitExtraditionObservation');
const sources = sourceSpec('registerExtraditionSource');

export const Mutation: MutationResolvers = {
  recordExtraditionCase: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), extraditionCaseSpec, input, submission);
    return prisma.extraditionCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  importExtraditionCases: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), extraditionCaseSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  updateExtraditionCaseStatus: async (_parent, { recordId, status, on, mechanism, submission }, { prisma }) => {
    const key = await changeStatus(inTransaction(prisma), { recordId, status, on, mechanism }, submission);
    return prisma.extraditionCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  submitExtraditionObservation: async (_parent, { input, submission }, { prisma }) => {
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
  importExtraditionObservations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), observations, rows, { dryRun: dryRun ?? false, submittedBy }),
  registerExtraditionSource: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), sources, input, submission);
    return prisma.source.findUniqueOrThrow({ where: { id: key } });
  },
};
