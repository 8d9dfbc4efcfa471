import {
  importObservations,
  importRecords,
  recordOne,
  registerSource,
  submitObservation,
  baselineValueOf,
  setBaseline,
  setTarget,
} from '@bicentennial/subgraph-kit';
import type { MutationResolvers } from '../generated/graphql';
import { homicideKeyColumns, homicideSpec } from '../records/homicides';
import { programmeSpec } from '../records/programmes';

export const Mutation: MutationResolvers = {
  recordHomicideStatistic: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, homicideSpec, input, submission, caller);
    const columns = homicideKeyColumns(key);
    if (!columns) throw new Error(`not a homicide statistic key: ${key}`);
    return prisma.homicideStatistic.findUniqueOrThrow({
      where: { period_regionCode_measure_sourceId_status: columns },
    });
  },
  importHomicideStatistics: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, homicideSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  recordProgramme: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, programmeSpec, input, submission, caller);
    return prisma.programme.findUniqueOrThrow({ where: { recordId: key } });
  },
  importProgrammes: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, programmeSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  submitPublicHealthObservation: (_parent, { input, submission }, { prisma, writes, caller }) =>
    submitObservation(writes, prisma, 'submitPublicHealthObservation', input, submission, caller),
  importPublicHealthObservations: (_parent, args, { writes, caller }) =>
    importObservations(writes, 'submitPublicHealthObservation', args, caller),
  setPublicHealthIndicatorTarget: (_parent, { input, submission }, { prisma, writes, caller }) =>
    setTarget(writes, prisma, 'setPublicHealthIndicatorTarget', input, submission, caller),
  setPublicHealthIndicatorBaseline: async (_parent, { input, submission }, { prisma, writes, caller }) =>
    baselineValueOf(await setBaseline(writes, prisma, 'setPublicHealthIndicatorBaseline', input, submission, caller)),
  registerPublicHealthSource: (_parent, { input, submission }, { prisma, writes, caller }) =>
    registerSource(writes, prisma, 'registerPublicHealthSource', input, submission, caller),
};
