import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';

export const resolvers: Resolvers = {
  Query: {
    firearmsSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  },
  FirearmsIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
};
