import type DataLoader from 'dataloader';
import {
  childPageLoader,
  createIndicatorLoaders,
  indicatorStore,
  loaderByGroup,
  loaderById,
  loaderByKey,
  type ChildPageLoader,
  type IndicatorLoaders,
} from '@bicentennial/subgraph-kit';
import type { DrugSeizure, PortOfEntry, PrismaClient, SmugglingInterdiction, Source } from './generated/prisma/client';

export interface Loaders {
  port: DataLoader<string, PortOfEntry | null>;
  source: DataLoader<string, Source | null>;
  drugSeizure: DataLoader<string, DrugSeizure | null>;
  interdiction: DataLoader<string, SmugglingInterdiction | null>;
  portsByState: DataLoader<string, PortOfEntry[]>;
  portsByCounterpartState: DataLoader<string, PortOfEntry[]>;
  seizuresByPort: ChildPageLoader;
  seizuresByState: ChildPageLoader;
  seizuresByObjective: ChildPageLoader;
  interdictionsByPort: ChildPageLoader;
  interdictionsByObjective: ChildPageLoader;
}

/** What every resolver receives: the one Prisma client and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

const byCode = { code: 'asc' } as const;

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    port: loaderByKey(
      (codes) => prisma.portOfEntry.findMany({ where: { code: { in: [...codes] } } }),
      (p) => p.code,
    ),
    source: loaderById(prisma.source),
    drugSeizure: loaderById(prisma.drugSeizure),
    interdiction: loaderById(prisma.smugglingInterdiction),
    portsByState: loaderByGroup(
      (codes) => prisma.portOfEntry.findMany({ where: { stateCode: { in: [...codes] } }, orderBy: byCode }),
      (p) => p.stateCode,
    ),
    portsByCounterpartState: loaderByGroup(
      (codes) => prisma.portOfEntry.findMany({ where: { counterpartState: { in: [...codes] } }, orderBy: byCode }),
      (p) => p.counterpartState ?? '',
    ),
    seizuresByPort: childPageLoader(prisma, {
      table: 'DrugSeizure',
      parentColumn: 'portCode',
      sortColumn: 'seizedOn',
      sortType: 'date',
    }),
    seizuresByState: childPageLoader(prisma, {
      table: 'DrugSeizure',
      parentColumn: 'stateCode',
      sortColumn: 'seizedOn',
      sortType: 'date',
    }),
    seizuresByObjective: childPageLoader(prisma, {
      table: 'DrugSeizure',
      parentColumn: 'objectiveId',
      sortColumn: 'seizedOn',
      sortType: 'date',
    }),
    interdictionsByPort: childPageLoader(prisma, {
      table: 'SmugglingInterdiction',
      parentColumn: 'portCode',
      sortColumn: 'occurredOn',
      sortType: 'date',
    }),
    interdictionsByObjective: childPageLoader(prisma, {
      table: 'SmugglingInterdiction',
      parentColumn: 'objectiveId',
      sortColumn: 'occurredOn',
      sortType: 'date',
    }),
  };
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, indicators: createIndicatorLoaders(indicatorStore(prisma)), loaders: createLoaders(prisma) };
}
