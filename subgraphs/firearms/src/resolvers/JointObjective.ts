import { childPage, objectiveRef, summaryResolver } from '@bicentennial/subgraph-kit';
import type { JointObjectiveResolvers } from '../generated/graphql';

export const JointObjective: JointObjectiveResolvers = {
  firearmsSummary: summaryResolver,
  __resolveReference: ({ id }) => objectiveRef(id),
  firearmTraces: (objective, _args, { loaders }) => loaders.tracesByObjective.load(objective.id),
  traceRequestStatistics: (objective, _args, { loaders }) => loaders.traceRequestsByObjective.load(objective.id),
  firearmSeizures: (objective, args, { loaders }) => loaders.seizuresByObjective.load(childPage(objective.id, args)),
  traffickingCases: (objective, args, { loaders }) => loaders.casesByObjective.load(childPage(objective.id, args)),
};
