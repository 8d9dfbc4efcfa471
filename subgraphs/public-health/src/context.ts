import type DataLoader from 'dataloader';
import {
  childPageLoader,
  createIndicatorLoaders,
  indicatorStore,
  loaderByGroup,
  loaderById,
  type ChildPageLoader,
  type IndicatorLoaders,
} from '@bicentennial/subgraph-kit';
import type {
  HomicideStatistic,
  OverdoseDeathStatistic,
  Prisma,
  PrismaClient,
  Programme,
  Source,
} from './generated/prisma/client';

export interface Loaders {
  source: DataLoader<string, Source | null>;
  homicide: DataLoader<string, HomicideStatistic | null>;
  programme: DataLoader<string, Programme | null>;
  overdoseDeathsByObjective: DataLoader<string, OverdoseDeathStatistic[]>;
  homicidesByRegion: ChildPageLoader;
  homicidesByObjective: ChildPageLoader;
  programmesByCountry: ChildPageLoader;
  programmesByRegion: ChildPageLoader;
  programmesByObjective: ChildPageLoader;
}

/** What every resolver receives: the one Prisma client and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

/** Oldest period first, then drug class and the later publication: the order of a time series. */
export const OVERDOSE_ORDER: Prisma.OverdoseDeathStatisticOrderByWithRelationInput[] = [
  { periodEnd: 'asc' },
  { drugClass: 'asc' },
  { status: 'asc' },
  { sourceId: 'asc' },
];

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient): Loaders {
  const homicides = (parentColumn: string) =>
    childPageLoader(prisma, { table: 'HomicideStatistic', parentColumn, sortColumn: 'periodEnd', sortType: 'date' });
  const programmes = (parentColumn: string) =>
    childPageLoader(prisma, { table: 'Programme', parentColumn, sortColumn: 'startedOn', sortType: 'date' });
  return {
    source: loaderById(prisma.source),
    homicide: loaderById(prisma.homicideStatistic),
    programme: loaderById(prisma.programme),
    overdoseDeathsByObjective: loaderByGroup(
      (ids) =>
        prisma.overdoseDeathStatistic.findMany({
          where: { objectiveId: { in: [...ids] } },
          orderBy: OVERDOSE_ORDER,
        }),
      (o) => o.objectiveId,
    ),
    homicidesByRegion: homicides('regionCode'),
    homicidesByObjective: homicides('objectiveId'),
    programmesByCountry: programmes('countryCode'),
    programmesByRegion: programmes('regionCode'),
    programmesByObjective: programmes('objectiveId'),
  };
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, indicators: createIndicatorLoaders(indicatorStore(prisma)), loaders: createLoaders(prisma) };
}
