import { childPage, regionRef } from '@bicentennial/subgraph-kit';
import type { RegionResolvers } from '../generated/graphql';

const COUNTRY = /^[A-Z]{2}$/;

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => regionRef(code),
  homicides: (region, args, { loaders }) =>
    loaders.homicidesByRegion.load(childPage(region.code, args, { measure: args.measure })),
  programmes: (region, args, { loaders }) =>
    (COUNTRY.test(region.code) ? loaders.programmesByCountry : loaders.programmesByRegion).load(
      childPage(region.code, args),
    ),
};
