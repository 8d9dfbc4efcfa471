import type DataLoader from 'dataloader';
import { loaderByGroup, loaderById, loaderByKey } from '@bicentennial/subgraph-kit';
import type { Caller } from '@bicentennial/schema';
import type { CooperationArea, Goal, Indicator, JointObjective, PrismaClient, Region } from './generated/prisma/client';

export interface Loaders {
  goal: DataLoader<string, Goal | null>;
  area: DataLoader<string, CooperationArea | null>;
  objective: DataLoader<string, JointObjective | null>;
  region: DataLoader<string, Region | null>;
  indicator: DataLoader<string, Indicator | null>;
  areasByGoal: DataLoader<string, CooperationArea[]>;
  objectivesByArea: DataLoader<string, JointObjective[]>;
  objectivesByGoal: DataLoader<string, JointObjective[]>;
  indicatorsByObjective: DataLoader<string, Indicator[]>;
  statesByCountry: DataLoader<string, Region[]>;
}

/** What every resolver receives: the one Prisma client and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  /** Who is asking, as the gateway's internal token says. */
  caller: Caller;
  loaders: Loaders;
}

const byId = { id: 'asc' } as const;

/** Fresh loaders per request: one query per kind of row, whatever the number of rows asked. */
export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    goal: loaderById(prisma.goal),
    area: loaderById(prisma.cooperationArea),
    objective: loaderById(prisma.jointObjective),
    region: loaderByKey(
      (codes) => prisma.region.findMany({ where: { code: { in: [...codes] } } }),
      (r) => r.code,
    ),
    indicator: loaderById(prisma.indicator),
    areasByGoal: loaderByGroup(
      (ids) => prisma.cooperationArea.findMany({ where: { goalId: { in: [...ids] } }, orderBy: byId }),
      (r) => r.goalId,
    ),
    objectivesByArea: loaderByGroup(
      (ids) => prisma.jointObjective.findMany({ where: { areaId: { in: [...ids] } }, orderBy: byId }),
      (r) => r.areaId,
    ),
    objectivesByGoal: loaderByGroup(
      (ids) => prisma.jointObjective.findMany({ where: { goalId: { in: [...ids] } }, orderBy: byId }),
      (r) => r.goalId,
    ),
    indicatorsByObjective: loaderByGroup(
      (ids) => prisma.indicator.findMany({ where: { objectiveId: { in: [...ids] } }, orderBy: { position: 'asc' } }),
      (r) => r.objectiveId,
    ),
    statesByCountry: loaderByGroup(
      (codes) =>
        prisma.region.findMany({
          where: { countryCode: { in: [...codes] }, NOT: { kind: 'COUNTRY' } },
          orderBy: { code: 'asc' },
        }),
      (r) => r.countryCode,
    ),
  };
}

/** A request's context. The catalogue is public: `caller` is kept for the directives' checks only. */
export function createContext(prisma: PrismaClient, caller: Caller): Context {
  return { prisma, caller, loaders: createLoaders(prisma) };
}
