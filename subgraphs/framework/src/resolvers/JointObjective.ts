import { sumParts, withParts } from './progress';
import type { JointObjectiveResolvers } from '../generated/graphql';
import { inLanguage } from '@bicentennial/subgraph-kit';
import { present } from './text';

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: async (reference, { loaders }) =>
    withParts(await loaders.objective.load(reference.id), reference),
  progress: (parent) => sumParts(parent),
  title: (objective, { lang }, context) => inLanguage(lang, context, { en: objective.titleEn, es: objective.titleEs }),
  translation: (objective) => ({ title: objective.titleEsStatus, description: null }),
  area: async (objective, _args, { loaders }) =>
    present(await loaders.area.load(objective.areaId), `area ${objective.areaId}`),
  goal: async (objective, _args, { loaders }) =>
    present(await loaders.goal.load(objective.goalId), `goal ${objective.goalId}`),
  indicators: (objective, _args, { loaders }) => loaders.indicatorsByObjective.load(objective.id),
};
