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
import { extraditionCaseSpec } from '../records/cases';
import { changeStatus } from '../records/statusChange';

export const Mutation: MutationResolvers = {
  recordExtraditionCase: async (_parent, { input, submission }, { prisma, writes, caller }) => {
    const { key } = await recordOne(writes, extraditionCaseSpec, input, submission, caller);
    return prisma.extraditionCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  importExtraditionCases: (_parent, { rows, dryRun }, { writes, caller }) =>
    importRecords(writes, extraditionCaseSpec, rows, { dryRun: dryRun ?? false, writer: caller }),
  updateExtraditionCaseStatus: async (
    _parent,
    { recordId, status, on, mechanism, submission },
    { prisma, writes, caller },
  ) => {
    const key = await changeStatus(writes, { recordId, status, on, mechanism }, submission, caller);
    return prisma.extraditionCase.findUniqueOrThrow({ where: { recordId: key } });
  },
  submitExtraditionObservation: (_parent, { input, submission }, { prisma, writes, caller }) =>
    submitObservation(writes, prisma, 'submitExtraditionObservation', input, submission, caller),
  importExtraditionObservations: (_parent, args, { writes, caller }) =>
    importObservations(writes, 'submitExtraditionObservation', args, caller),
  setExtraditionIndicatorTarget: (_parent, { input, submission }, { prisma, writes, caller }) =>
    setTarget(writes, prisma, 'setExtraditionIndicatorTarget', input, submission, caller),
  setExtraditionIndicatorBaseline: async (_parent, { input, submission }, { prisma, writes, caller }) =>
    baselineValueOf(await setBaseline(writes, prisma, 'setExtraditionIndicatorBaseline', input, submission, caller)),
  registerExtraditionSource: (_parent, { input, submission }, { prisma, writes, caller }) =>
    registerSource(writes, prisma, 'registerExtraditionSource', input, submission, caller),
};
