import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';

export const resolvers: Resolvers = {
  Query: {
    publicHealthSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  },
  PublicHealthIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
};
