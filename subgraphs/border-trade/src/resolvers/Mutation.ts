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
import { drugSeizureSpec } from '../records/drugSeizures';
import { interdictionSpec } from '../records/interdictions';

export const Mutation: MutationResolvers = {
  recordDrugSeizure: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, drugSeizureSpec, input, submission, caller);
    return prisma.drugSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importDrugSeizures: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, drugSeizureSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  recordSmugglingInterdiction: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, interdictionSpec, input, submission, caller);
    return prisma.smugglingInterdiction.findUniqueOrThrow({ where: { recordId: key } });
  },
  importSmugglingInterdictions: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, interdictionSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  submitBorderTradeObservation: (_parent, { input, submission }, { prisma, writes, caller }) =>
    submitObservation(writes, prisma, 'submitBorderTradeObservation', input, submission, caller),
  importBorderTradeObservations: (_parent, args, { writes, caller }) =>
    importObservations(writes, 'submitBorderTradeObservation', args, caller),
  setBorderTradeIndicatorTarget: (_parent, { input, submission }, { prisma, writes, caller }) =>
    setTarget(writes, prisma, 'setBorderTradeIndicatorTarget', input, submission, caller),
  setBorderTradeIndicatorBaseline: async (_parent, { input, submission }, { prisma, writes, caller }) =>
    baselineValueOf(await setBaseline(writes, prisma, 'setBorderTradeIndicatorBaseline', input, submission, caller)),
  registerBorderTradeSource: (_parent, { input, submission }, { prisma, writes, caller }) =>
    registerSource(writes, prisma, 'registerBorderTradeSource', input, submission, caller),
};
