import type { FrameworkResolvers } from '../generated/graphql';
import { inLanguage } from '@bicentennial/subgraph-kit';

export const Framework: FrameworkResolvers = {
  title: (framework, { lang }, context) => inLanguage(lang, context, { en: framework.titleEn, es: framework.titleEs }),
  translation: (framework) => ({ title: framework.titleEsStatus, description: null }),
};
