import { childPage } from '@bicentennial/subgraph-kit';
import type { RegionResolvers } from '../generated/graphql';

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  assetSeizures: (region, args, { loaders }) => loaders.seizuresByCountry.load(childPage(region.code, args)),
};
