import { childPage, regionRef } from '@bicentennial/subgraph-kit';
import type { RegionResolvers } from '../generated/graphql';

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => regionRef(code),
  ports: async (region, _args, { loaders, prisma }) => {
    if (region.code === 'US' || region.code === 'MX') return prisma.portOfEntry.findMany({ orderBy: { code: 'asc' } });
    return region.code.startsWith('US-')
      ? loaders.portsByState.load(region.code)
      : loaders.portsByCounterpartState.load(region.code);
  },
  drugSeizures: (region, args, { loaders }) =>
    loaders.seizuresByState.load(childPage(region.code, args, { drug: args.drug })),
};
