import { importRecords, observationSpec, recordOne, sourceSpec } from '@bicentennial/schema';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { MutationResolvers } from '../generated/graphql';
import { firearmSeizureSpec } from '../records/firearmSeizures';
import { traffickingCaseSpec } from '../records/traffickingCases';

/** One interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
const inTransaction =
  (prisma: PrismaClient) =>
  <T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> =>
    prisma.$transaction(work, { maxWait: 10_000, timeout: 60_000 });

const observations = observationSpec('submitFirearmsObservation');
const sources = sourceSpec('registerFirearmsSource');

export const Mutation: MutationResolvers = {
  recordFirearmSeizure: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), firearmSeizureSpec, input, submission);
    return prisma.firearmSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importFirearmSeizures: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), firearmSeizureSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordTraffickingCase: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), traffickingCaseSpec, input, submission);
    return prisma.traffickingCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  importTraffickingCases: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), traffickingCaseSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitFirearmsObservation: async (_parent, { input, submission }, { prisma }) => {
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
  importFirearmsObservations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), observations, rows, { dryRun: dryRun ?? false, submittedBy }),
  registerFirearmsSource: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), sources, input, submission);
    return prisma.source.findUniqueOrThrow({ where: { id: key } });
  },
};
