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
import { assetSeizureSpec } from '../records/assetSeizures';
import { designationSpec } from '../records/designations';

export const Mutation: MutationResolvers = {
  recordSanctionsDesignation: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, designationSpec, input, submission, caller);
    return prisma.sanctionsDesignation.findUniqueOrThrow({ where: { recordId: key } });
  },
  importSanctionsDesignations: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, designationSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  recordAssetSeizure: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, assetSeizureSpec, input, submission, caller);
    return prisma.assetSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importAssetSeizures: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, assetSeizureSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  submitFinanceObservation: (_parent, { input, submission }, { prisma, writes, caller }) =>
    submitObservation(writes, prisma, 'submitFinanceObservation', input, submission, caller),
  importFinanceObservations: (_parent, args, { writes, caller }) =>
    importObservations(writes, 'submitFinanceObservation', args, caller),
  setFinanceIndicatorTarget: (_parent, { input, submission }, { prisma, writes, caller }) =>
    setTarget(writes, prisma, 'setFinanceIndicatorTarget', input, submission, caller),
  setFinanceIndicatorBaseline: async (_parent, { input, submission }, { prisma, writes, caller }) =>
    baselineValueOf(await setBaseline(writes, prisma, 'setFinanceIndicatorBaseline', input, submission, caller)),
  registerFinanceSource: (_parent, { input, submission }, { prisma, writes, caller }) =>
    registerSource(writes, prisma, 'registerFinanceSource', input, submission, caller),
};
