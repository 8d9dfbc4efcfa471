import { sumParts, withParts } from './progress';
import type { CooperationAreaResolvers } from '../generated/graphql';
import { inLanguage } from '@bicentennial/subgraph-kit';
import { present } from './text';

export const CooperationArea: CooperationAreaResolvers = {
  __resolveReference: async (reference, { loaders }) => withParts(await loaders.area.load(reference.id), reference),
  progress: (parent) => sumParts(parent),
  title: (area, { lang }, context) => inLanguage(lang, context, { en: area.titleEn, es: area.titleEs }),
  translation: (area) => ({ title: area.titleEsStatus, description: null }),
  goal: async (area, _args, { loaders }) => present(await loaders.goal.load(area.goalId), `goal ${area.goalId}`),
  objectives: (area, _args, { loaders }) => loaders.objectivesByArea.load(area.id),
};
