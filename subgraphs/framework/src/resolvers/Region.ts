import type { RegionResolvers } from '../generated/graphql';
import { inLanguage } from '@bicentennial/subgraph-kit';

export const Region: RegionResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.region.load(code),
  name: (region, { lang }, context) => inLanguage(lang, context, { en: region.nameEn, es: region.nameEs }),
  country: (region, _args, { loaders }) => (region.kind === 'COUNTRY' ? null : loaders.region.load(region.countryCode)),
  states: (region, _args, { loaders }) => (region.kind === 'COUNTRY' ? loaders.statesByCountry.load(region.code) : []),
};
