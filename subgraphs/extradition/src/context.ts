import { createIndicatorLoaders, type IndicatorLoaders, type IndicatorStore } from '@bicentennial/schema';
import type { PrismaClient } from './generated/prisma/client';

/** What every resolver receives: the one Prisma client and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  indicators: IndicatorLoaders;
}

/** The indicator values this subgraph holds, for the shared indicator loaders. */
export function indicatorStore(prisma: PrismaClient): IndicatorStore {
  return {
    indicatorsByIds: (ids) => prisma.indicator.findMany({ where: { id: { in: [...ids] } } }),
    observationsByIndicatorIds: (ids) =>
      prisma.observation.findMany({ where: { indicatorId: { in: [...ids] } }, include: { source: true } }),
  };
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, indicators: createIndicatorLoaders(indicatorStore(prisma)) };
}
