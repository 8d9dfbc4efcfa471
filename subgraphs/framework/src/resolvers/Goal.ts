import { sumParts, withParts } from './progress';
import type { GoalResolvers } from '../generated/graphql';
import { inLanguage } from '@bicentennial/subgraph-kit';

export const Goal: GoalResolvers = {
  __resolveReference: async (reference, { loaders }) => withParts(await loaders.goal.load(reference.id), reference),
  progress: (parent) => sumParts(parent),
  title: (goal, { lang }, context) => inLanguage(lang, context, { en: goal.titleEn, es: goal.titleEs }),
  description: (goal, { lang }, context) =>
    inLanguage(lang, context, { en: goal.descriptionEn, es: goal.descriptionEs }),
  translation: (goal) => ({ title: goal.titleEsStatus, description: goal.descriptionEsStatus }),
  areas: (goal, _args, { loaders }) => loaders.areasByGoal.load(goal.id),
  objectives: (goal, _args, { loaders }) => loaders.objectivesByGoal.load(goal.id),
};
