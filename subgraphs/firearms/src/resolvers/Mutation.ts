import {
  importObservations,
  importRecords,
  recordOne,
  registerSource,
  submitObservation,
  transactions,
} from '@bicentennial/subgraph-kit';
import type { MutationResolvers } from '../generated/graphql';
import { changeCaseStatus } from '../records/caseStatus';
import { firearmSeizureSpec } from '../records/firearmSeizures';
import { traffickingCaseSpec } from '../records/traffickingCases';

export const Mutation: MutationResolvers = {
  recordFirearmSeizure: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), firearmSeizureSpec, input, submission);
    return prisma.firearmSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importFirearmSeizures: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), firearmSeizureSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  recordTraffickingCase: async (_parent, { input, submission }, { prisma }) => {
    const { key } = await recordOne(transactions(prisma), traffickingCaseSpec, input, submission);
    return prisma.traffickingCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  importTraffickingCases: (_parent, { rows, submittedBy, dryRun }, { prisma }) =>
    importRecords(transactions(prisma), traffickingCaseSpec, rows, { dryRun: dryRun ?? false, submittedBy }),
  updateTraffickingCaseStatus: async (_parent, { recordId, status, on, submission }, { prisma }) => {
    const key = await changeCaseStatus(transactions(prisma), { recordId, status, on }, submission);
    return prisma.traffickingCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  submitFirearmsObservation: (_parent, { input, submission }, { prisma }) =>
    submitObservation(transactions(prisma), prisma, 'submitFirearmsObservation', input, submission),
  importFirearmsObservations: (_parent, args, { prisma }) =>
    importObservations(transactions(prisma), 'submitFirearmsObservation', args),
  registerFirearmsSource: (_parent, { input, submission }, { prisma }) =>
    registerSource(transactions(prisma), prisma, 'registerFirearmsSource', input, submission),
};
