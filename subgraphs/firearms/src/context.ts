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
  FirearmSeizure,
  FirearmTrace,
  PrismaClient,
  Source,
  TraceRequestStatistic,
  TraffickingCase,
} from './generated/prisma/client';

export interface Loaders {
  source: DataLoader<string, Source | null>;
  seizure: DataLoader<string, FirearmSeizure | null>;
  traffickingCase: DataLoader<string, TraffickingCase | null>;
  /** Traces recovered in a region: a country's national figures, or a state's own. */
  tracesByRegion: DataLoader<string, FirearmTrace[]>;
  tracesByObjective: DataLoader<string, FirearmTrace[]>;
  traceRequestsByObjective: DataLoader<string, TraceRequestStatistic[]>;
  seizuresByPort: ChildPageLoader;
  seizuresByState: ChildPageLoader;
  seizuresByCountry: ChildPageLoader;
  seizuresByObjective: ChildPageLoader;
  seizuresByOrganization: ChildPageLoader;
  casesByObjective: ChildPageLoader;
  casesByOrganization: ChildPageLoader;
}

/** What every resolver receives: the one Prisma client and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

/** Published statistics, oldest period first; of two starting together, the longer first. */
export const byPeriod = [{ periodStart: 'asc' }, { periodEnd: 'desc' }, { sourceId: 'asc' }] as const;

const seizures = (parentColumn: string) =>
  ({ table: 'FirearmSeizure', parentColumn, sortColumn: 'seizedOn', sortType: 'date' }) as const;
const cases = (parentColumn: string) =>
  ({ table: 'TraffickingCase', parentColumn, sortColumn: 'openedOn', sortType: 'date' }) as const;

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    source: loaderById(prisma.source),
    seizure: loaderById(prisma.firearmSeizure),
    traffickingCase: loaderById(prisma.traffickingCase),
    tracesByRegion: loaderByGroup(
      (codes) =>
        prisma.firearmTrace.findMany({
          where: {
            OR: [
              { recoveryState: { in: codes.filter((c) => c.includes('-')) } },
              { recoveryState: null, recoveryCountry: { in: codes.filter((c) => !c.includes('-')) } },
            ],
          },
          orderBy: [...byPeriod],
        }),
      (t) => t.recoveryState ?? t.recoveryCountry,
    ),
    tracesByObjective: loaderByGroup(
      (ids) => prisma.firearmTrace.findMany({ where: { objectiveId: { in: [...ids] } }, orderBy: [...byPeriod] }),
      (t) => t.objectiveId,
    ),
    traceRequestsByObjective: loaderByGroup(
      (ids) =>
        prisma.traceRequestStatistic.findMany({ where: { objectiveId: { in: [...ids] } }, orderBy: [...byPeriod] }),
      (t) => t.objectiveId,
    ),
    seizuresByPort: childPageLoader(prisma, seizures('portCode')),
    seizuresByState: childPageLoader(prisma, seizures('stateCode')),
    seizuresByCountry: childPageLoader(prisma, seizures('country')),
    seizuresByObjective: childPageLoader(prisma, seizures('objectiveId')),
    seizuresByOrganization: childPageLoader(prisma, seizures('organizationSlug')),
    casesByObjective: childPageLoader(prisma, cases('objectiveId')),
    casesByOrganization: childPageLoader(prisma, cases('organizationSlug')),
  };
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, indicators: createIndicatorLoaders(indicatorStore(prisma)), loaders: createLoaders(prisma) };
}
