import { childPage, summaryResolver } from '@bicentennial/subgraph-kit';
import type { JointObjectiveResolvers } from '../generated/graphql';

export const JointObjective: JointObjectiveResolvers = {
  borderTradeSummary: summaryResolver,
  __resolveReference: ({ id }) => ({ id }),
  drugSeizures: (objective, args, { loaders }) => loaders.seizuresByObjective.load(childPage(objective.id, args)),
  smugglingInterdictions: (objective, args, { loaders }) =>
    loaders.interdictionsByObjective.load(childPage(objective.id, args)),
};
