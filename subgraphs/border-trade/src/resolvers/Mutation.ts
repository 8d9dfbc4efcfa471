import {
  importObservations,
  importRecords,
  recordOne,
  registerSource,
  submitObservation,
  transactions,
} from '@bicentennial/subgraph-kit';
import type { MutationResolvers } from '../generated/graphql';
import { drugSeizureSpec } from '../records/drugSeizures';
import { interdictionSpec } from '../records/interdictions';

export const Mutation: MutationResolvers = {
  recordDrugSeizure: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), drugSeizureSpec, input, submission);
    return prisma.drugSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importDrugSeizures: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), drugSeizureSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordSmugglingInterdiction: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), interdictionSpec, input, submission);
    return prisma.smugglingInterdiction.findUniqueOrThrow({ where: { recordId: key } });
  },
  importSmugglingInterdictions: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), interdictionSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitBorderTradeObservation: (_parent, { input, submission }, { prisma }) =>
    submitObservation(transactions(prisma), prisma, 'submitBorderTradeObservation', input, submission),
  importBorderTradeObservations: (_parent, args, { prisma }) =>
    importObservations(transactions(prisma), 'submitBorderTradeObservation', args),
  registerBorderTradeSource: (_parent, { input, submission }, { prisma }) =>
    registerSource(transactions(prisma), prisma, 'registerBorderTradeSource', input, submission),
};
