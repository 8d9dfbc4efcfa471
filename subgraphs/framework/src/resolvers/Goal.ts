import type { GoalResolvers } from '../generated/graphql';
import { inLanguage } from './text';

export const Goal: GoalResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.goal.load(id),
  title: (goal, { lang }) => inLanguage(lang, goal.titleEn, goal.titleEs),
  description: (goal, { lang }) => inLanguage(lang, goal.descriptionEn, goal.descriptionEs),
  translation: (goal) => ({ title: goal.titleEsStatus, description: goal.descriptionEsStatus }),
  areas: (goal, _args, { loaders }) => loaders.areasByGoal.load(goal.id),
  objectives: (goal, _args, { loaders }) => loaders.objectivesByGoal.load(goal.id),
};
