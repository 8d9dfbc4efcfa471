import { childPage, summaryResolver } from '@bicentennial/subgraph-kit';
import type { JointObjectiveResolvers } from '../generated/graphql';

export const JointObjective: JointObjectiveResolvers = {
  financeSummary: summaryResolver,
  __resolveReference: ({ id }) => ({ id }),
  sanctionsDesignations: (objective, args, { loaders }) =>
    loaders.designationsByObjective.load(childPage(objective.id, args)),
  financialAdvisories: (objective, _args, { loaders }) => loaders.advisoriesByObjective.load(objective.id),
  suspiciousActivity: (objective, _args, { loaders }) => loaders.statisticsByObjective.load(objective.id),
  assetSeizures: (objective, args, { loaders }) => loaders.seizuresByObjective.load(childPage(objective.id, args)),
};
