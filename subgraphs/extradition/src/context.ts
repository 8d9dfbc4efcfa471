import DataLoader from 'dataloader';
import {
  childPageLoader,
  createIndicatorLoaders,
  indicatorStore,
  loaderById,
  loaderByKey,
  type ChildPageLoader,
  type IndicatorLoaders,
} from '@bicentennial/subgraph-kit';
import type { ExtraditionCase, PrismaClient, Source, TransferAction } from './generated/prisma/client';

export interface Loaders {
  source: DataLoader<string, Source | null>;
  extraditionCase: DataLoader<string, ExtraditionCase | null>;
  extraditionCaseByRecordId: DataLoader<string, ExtraditionCase | null>;
  transferAction: DataLoader<string, TransferAction | null>;
  transferActionByRecordId: DataLoader<string, TransferAction | null>;
  casesByObjective: ChildPageLoader;
  casesByOrganization: ChildPageLoader;
  casesByTransferAction: ChildPageLoader;
  transferActionsByObjective: ChildPageLoader;
  /** How many cases are linked to each transfer (by the transfer's record id). */
  caseCountByTransferAction: DataLoader<string, number>;
}

/** What every resolver receives: the one Prisma client and this request's loaders. */
export interface Context {
  prisma: PrismaClient;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    source: loaderById(prisma.source),
    extraditionCase: loaderById(prisma.extraditionCase),
    extraditionCaseByRecordId: loaderByKey(
      (recordIds) => prisma.extraditionCase.findMany({ where: { recordId: { in: [...recordIds] } } }),
      (c) => c.recordId,
    ),
    transferAction: loaderById(prisma.transferAction),
    transferActionByRecordId: loaderByKey(
      (recordIds) => prisma.transferAction.findMany({ where: { recordId: { in: [...recordIds] } } }),
      (t) => t.recordId,
    ),
    casesByObjective: childPageLoader(prisma, {
      table: 'ExtraditionCase',
      parentColumn: 'objectiveId',
      sortColumn: 'statusOn',
      sortType: 'date',
    }),
    casesByOrganization: childPageLoader(prisma, {
      table: 'ExtraditionCase',
      parentColumn: 'organizationSlug',
      sortColumn: 'statusOn',
      sortType: 'date',
    }),
    casesByTransferAction: childPageLoader(prisma, {
      table: 'ExtraditionCase',
      parentColumn: 'transferActionId',
      sortColumn: 'statusOn',
      sortType: 'date',
    }),
    transferActionsByObjective: childPageLoader(prisma, {
      table: 'TransferAction',
      parentColumn: 'objectiveId',
      sortColumn: 'endedOn',
      sortType: 'date',
    }),
    caseCountByTransferAction: new DataLoader(async (recordIds) => {
      const counts = await prisma.extraditionCase.groupBy({
        by: ['transferActionId'],
        where: { transferActionId: { in: [...new Set(recordIds)] } },
        _count: { _all: true },
      });
      const byId = new Map(counts.map((c) => [c.transferActionId, c._count._all]));
      return recordIds.map((id) => byId.get(id) ?? 0);
    }),
  };
}

export function createContext(prisma: PrismaClient): Context {
  return { prisma, indicators: createIndicatorLoaders(indicatorStore(prisma)), loaders: createLoaders(prisma) };
}
