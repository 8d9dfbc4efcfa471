import { childPage, regionRef } from '@bicentennial/subgraph-kit';
import type { RegionResolvers } from '../generated/graphql';

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => regionRef(code),
  firearmTraces: (region, _args, { loaders }) => loaders.tracesByRegion.load(region.code),
  firearmSeizures: (region, args, { loaders }) =>
    (region.code.includes('-') ? loaders.seizuresByState : loaders.seizuresByCountry).load(
      childPage(region.code, args),
    ),
};
