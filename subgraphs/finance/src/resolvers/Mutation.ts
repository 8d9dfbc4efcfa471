import {
  importObservations,
  importRecords,
  recordOne,
  registerSource,
  submitObservation,
  transactions,
} from '@bicentennial/subgraph-kit';
import type { MutationResolvers } from '../generated/graphql';
import { assetSeizureSpec } from '../records/assetSeizures';
import { designationSpec } from '../records/designations';

export const Mutation: MutationResolvers = {
  recordSanctionsDesignation: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), designationSpec, input, submission);
    return prisma.sanctionsDesignation.findUniqueOrThrow({ where: { recordId: key } });
  },
  importSanctionsDesignations: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), designationSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordAssetSeizure: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), assetSeizureSpec, input, submission);
    return prisma.assetSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importAssetSeizures: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), assetSeizureSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  submitFinanceObservation: (_parent, { input, submission }, { prisma }) =>
    submitObservation(transactions(prisma), prisma, 'submitFinanceObservation', input, submission),
  importFinanceObservations: (_parent, args, { prisma }) =>
    importObservations(transactions(prisma), 'submitFinanceObservation', args),
  registerFinanceSource: (_parent, { input, submission }, { prisma }) =>
    registerSource(transactions(prisma), prisma, 'registerFinanceSource', input, submission),
};
