import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';

export const resolvers: Resolvers = {
  Query: {
    financeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  },
  FinanceIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
};
