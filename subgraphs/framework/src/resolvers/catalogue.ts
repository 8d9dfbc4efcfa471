import type {
  CooperationAreaResolvers,
  FrameworkResolvers,
  GoalResolvers,
  JointObjectiveResolvers,
} from '../generated/graphql';
import { inLanguage, present } from './text';

export const Framework: FrameworkResolvers = {
  title: (framework, { lang }) => inLanguage(lang, framework.titleEn, framework.titleEs),
  translation: (framework) => ({ title: framework.titleEsStatus, description: null }),
};

export const Goal: GoalResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.goal.load(id),
  title: (goal, { lang }) => inLanguage(lang, goal.titleEn, goal.titleEs),
  description: (goal, { lang }) => inLanguage(lang, goal.descriptionEn, goal.descriptionEs),
  translation: (goal) => ({ title: goal.titleEsStatus, description: goal.descriptionEsStatus }),
  areas: (goal, _args, { loaders }) => loaders.areasByGoal.load(goal.id),
  objectives: (goal, _args, { loaders }) => loaders.objectivesByGoal.load(goal.id),
};

export const CooperationArea: CooperationAreaResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.area.load(id),
  title: (area, { lang }) => inLanguage(lang, area.titleEn, area.titleEs),
  translation: (area) => ({ title: area.titleEsStatus, description: null }),
  goal: async (area, _args, { loaders }) => present(await loaders.goal.load(area.goalId), `goal ${area.goalId}`),
  objectives: (area, _args, { loaders }) => loaders.objectivesByArea.load(area.id),
};

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.objective.load(id),
  title: (objective, { lang }) => inLanguage(lang, objective.titleEn, objective.titleEs),
  translation: (objective) => ({ title: objective.titleEsStatus, description: null }),
  area: async (objective, _args, { loaders }) =>
    present(await loaders.area.load(objective.areaId), `area ${objective.areaId}`),
  goal: async (objective, _args, { loaders }) =>
    present(await loaders.goal.load(objective.goalId), `goal ${objective.goalId}`),
  indicators: (objective, _args, { loaders }) => loaders.indicatorsByObjective.load(objective.id),
};
