import { importRecords, observationSpec, recordOne, sourceSpec } from '@bicentennial/schema';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { MutationResolvers } from '../generated/graphql';
import { homicideKeyColumns, homicideSpec } from '../records/homicides';
import { programmeSpec } from '../records/programmes';

/** One interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
const inTransaction =
  (prisma: PrismaClient) =>
  <T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> =>
    prisma.$transaction(work, { maxWait: 10_000, timeout: 60_000 });

const observations = observationSpec('submitPublicHealthObservation');
const sources = sourceSpec('registerPublicHealthSource');

export const Mutation: MutationResolvers = {
  recordHomicideStatistic: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), homicideSpec, input, submission);
    const columns = homicideKeyColumns(key);
    if (!columns) throw new Error(`not a homicide statistic key: ${key}`);
    return prisma.homicideStatistic.findUniqueOrThrow({
      where: { period_regionCode_measure_sourceId_status: columns },
    });
  },
  importHomicideStatistics: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), homicideSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordProgramme: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), programmeSpec, input, submission);
    return prisma.programme.findUniqueOrThrow({ where: { recordId: key } });
  },
  importProgrammes: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), programmeSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitPublicHealthObservation: async (_parent, { input, submission }, { prisma }) => {
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
  importPublicHealthObservations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(inTransaction(prisma), observations, rows, { dryRun: dryRun ?? false, submittedBy }),
  registerPublicHealthSource: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(inTransaction(prisma), sources, input, submission);
    return prisma.source.findUniqueOrThrow({ where: { id: key } });
  },
};
