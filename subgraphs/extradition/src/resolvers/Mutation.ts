import {
  importObservations,
  importRecords,
  recordOne,
  registerSource,
  submitObservation,
  transactions,
} from '@bicentennial/subgraph-kit';
import type { MutationResolvers } from '../generated/graphql';
import { extraditionCaseSpec } from '../records/cases';
import { changeStatus } from '../records/statusChange';

export const Mutation: MutationResolvers = {
  recordExtraditionCase: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), extraditionCaseSpec, input, submission);
    return prisma.extraditionCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  importExtraditionCases: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), extraditionCaseSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  updateExtraditionCaseStatus: async (_parent, { recordId, status, on, mechanism, submission }, { prisma }) => {
    const key = await changeStatus(transactions(prisma), { recordId, status, on, mechanism }, submission);
    return prisma.extraditionCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  submitExtraditionObservation: (_parent, { input, submission }, { prisma }) =>
    submitObservation(transactions(prisma), prisma, 'submitExtraditionObservation', input, submission),
  importExtraditionObservations: (_parent, args, { prisma }) =>
    importObservations(transactions(prisma), 'submitExtraditionObservation', args),
  registerExtraditionSource: (_parent, { input, submission }, { prisma }) =>
    registerSource(transactions(prisma), prisma, 'registerExtraditionSource', input, submission),
};
