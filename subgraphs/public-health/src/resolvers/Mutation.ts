import {
  importObservations,
  importRecords,
  recordOne,
  registerSource,
  submitObservation,
  transactions,
} from '@bicentennial/subgraph-kit';
import type { MutationResolvers } from '../generated/graphql';
import { homicideKeyColumns, homicideSpec } from '../records/homicides';
import { programmeSpec } from '../records/programmes';

export const Mutation: MutationResolvers = {
  recordHomicideStatistic: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), homicideSpec, input, submission);
    const columns = homicideKeyColumns(key);
    if (!columns) throw new Error(`not a homicide statistic key: ${key}`);
    return prisma.homicideStatistic.findUniqueOrThrow({
      where: { period_regionCode_measure_sourceId_status: columns },
    });
  },
  importHomicideStatistics: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), homicideSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordProgramme: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), programmeSpec, input, submission);
    return prisma.programme.findUniqueOrThrow({ where: { recordId: key } });
  },
  importProgrammes: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), programmeSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitPublicHealthObservation: (_parent, { input, submission }, { prisma }) =>
    submitObservation(transactions(prisma), prisma, 'submitPublicHealthObservation', input, submission),
  importPublicHealthObservations: (_parent, args, { prisma }) =>
    importObservations(transactions(prisma), 'submitPublicHealthObservation', args),
  registerPublicHealthSource: (_parent, { input, submission }, { prisma }) =>
    registerSource(transactions(prisma), prisma, 'registerPublicHealthSource', input, submission),
};
