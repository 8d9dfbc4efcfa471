import type { RegionResolvers } from '../generated/graphql';
import { inLanguage } from './text';

export const Region: RegionResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.region.load(code),
  name: (region, { lang }) => inLanguage(lang, region.nameEn, region.nameEs),
  country: (region, _args, { loaders }) => (region.kind === 'COUNTRY' ? null : loaders.region.load(region.countryCode)),
  states: (region, _args, { loaders }) => (region.kind === 'COUNTRY' ? loaders.statesByCountry.load(region.code) : []),
};
