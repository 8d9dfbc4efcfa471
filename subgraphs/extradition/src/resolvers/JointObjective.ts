import { childPage, summaryResolver } from '@bicentennial/subgraph-kit';
import type { JointObjectiveResolvers } from '../generated/graphql';

export const JointObjective: JointObjectiveResolvers = {
  extraditionSummary: summaryResolver,
  __resolveReference: ({ id }) => ({ id }),
  extraditionCases: (objective, args, { loaders }) =>
    loaders.casesByObjective.load(childPage(objective.id, args, { caseStatus: args.caseStatus })),
  transferActions: (objective, args, { loaders }) =>
    loaders.transferActionsByObjective.load(childPage(objective.id, args)),
};
