import { childPage, summaryResolver } from '@bicentennial/subgraph-kit';
import type { JointObjectiveResolvers } from '../generated/graphql';

export const JointObjective: JointObjectiveResolvers = {
  publicHealthSummary: summaryResolver,
  __resolveReference: ({ id }) => ({ id }),
  overdoseDeaths: (objective, _args, { loaders }) => loaders.overdoseDeathsByObjective.load(objective.id),
  homicideStatistics: (objective, args, { loaders }) =>
    loaders.homicidesByObjective.load(childPage(objective.id, args)),
  programmes: (objective, args, { loaders }) => loaders.programmesByObjective.load(childPage(objective.id, args)),
};
