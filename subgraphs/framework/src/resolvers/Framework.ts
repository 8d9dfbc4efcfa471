import type { FrameworkResolvers } from '../generated/graphql';
import { inLanguage } from './text';

export const Framework: FrameworkResolvers = {
  title: (framework, { lang }) => inLanguage(lang, framework.titleEn, framework.titleEs),
  translation: (framework) => ({ title: framework.titleEsStatus, description: null }),
};
