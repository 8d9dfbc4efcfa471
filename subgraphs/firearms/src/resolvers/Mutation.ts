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
import { changeCaseStatus } from '../records/caseStatus';
import { firearmSeizureSpec } from '../records/firearmSeizures';
import { traffickingCaseSpec } from '../records/traffickingCases';

export const Mutation: MutationResolvers = {
  recordFirearmSeizure: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, firearmSeizureSpec, input, submission, caller);
    return prisma.firearmSeizure.findUniqueOrThrow({ where: { recordId: key } });
  },
  importFirearmSeizures: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, firearmSeizureSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  recordTraffickingCase: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, traffickingCaseSpec, input, submission, caller);
    return prisma.traffickingCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  importTraffickingCases: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, traffickingCaseSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  updateTraffickingCaseStatus: async (_parent, { recordId, status, on, submission }, { prisma, writes, caller }) => {
    const key = await changeCaseStatus(writes, { recordId, status, on }, submission, caller);
    return prisma.traffickingCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  submitFirearmsObservation: (_parent, { input, submission }, { prisma, writes, caller }) =>
    submitObservation(writes, prisma, 'submitFirearmsObservation', input, submission, caller),
  importFirearmsObservations: (_parent, args, { writes, caller }) =>
    importObservations(writes, 'submitFirearmsObservation', args, caller),
  setFirearmsIndicatorTarget: (_parent, { input, submission }, { prisma, writes, caller }) =>
    setTarget(writes, prisma, 'setFirearmsIndicatorTarget', input, submission, caller),
  setFirearmsIndicatorBaseline: async (_parent, { input, submission }, { prisma, writes, caller }) =>
    baselineValueOf(await setBaseline(writes, prisma, 'setFirearmsIndicatorBaseline', input, submission, caller)),
  registerFirearmsSource: (_parent, { input, submission }, { prisma, writes, caller }) =>
    registerSource(writes, prisma, 'registerFirearmsSource', input, submission, caller),
};
