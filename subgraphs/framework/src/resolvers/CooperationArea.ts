import type { CooperationAreaResolvers } from '../generated/graphql';
import { inLanguage, present } from './text';

export const CooperationArea: CooperationAreaResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.area.load(id),
  title: (area, { lang }) => inLanguage(lang, area.titleEn, area.titleEs),
  translation: (area) => ({ title: area.titleEsStatus, description: null }),
  goal: async (area, _args, { loaders }) => present(await loaders.goal.load(area.goalId), `goal ${area.goalId}`),
  objectives: (area, _args, { loaders }) => loaders.objectivesByArea.load(area.id),
};
