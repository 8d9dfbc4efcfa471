import { join } from 'node:path';
import type { Caller } from '@bicentennial/schema';
import DataLoader from 'dataloader';
import {
  childPageLoader,
  createIndicatorLoaders,
  loaderById,
  loaderByKey,
  type ChildPageLoader,
  type IndicatorLoaders,
  releasableModels,
  scopedClient,
  transactions,
} from '@bicentennial/subgraph-kit';
import type { ExtraditionCase, PrismaClient, Source, TransferAction, Prisma } from './generated/prisma/client';
import { CASE_ORDER, TRANSFER_ORDER } from './orders';

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
  /** Reads: the Prisma client narrowed to the rows released to `caller` (records/releasability.ts). */
  prisma: PrismaClient;
  /** Who is asking, as the gateway's internal token says. */
  caller: Caller;
  /** Runs a write transaction on the unnarrowed client (the write layer applies releasability itself). */
  writes: ReturnType<typeof transactions<Prisma.TransactionClient>>;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient, caller: Caller): Loaders {
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
    casesByObjective: childPageLoader(
      prisma,
      {
        table: 'ExtraditionCase',
        date: 'statusOn',
        parentColumn: 'objectiveId',
        order: CASE_ORDER,
      },
      caller,
    ),
    casesByOrganization: childPageLoader(
      prisma,
      {
        table: 'ExtraditionCase',
        date: 'statusOn',
        parentColumn: 'organizationSlug',
        order: CASE_ORDER,
      },
      caller,
    ),
    casesByTransferAction: childPageLoader(
      prisma,
      {
        table: 'ExtraditionCase',
        date: 'statusOn',
        parentColumn: 'transferActionId',
        order: CASE_ORDER,
      },
      caller,
    ),
    transferActionsByObjective: childPageLoader(
      prisma,
      {
        table: 'TransferAction',
        date: 'endedOn',
        parentColumn: 'objectiveId',
        order: TRANSFER_ORDER,
      },
      caller,
    ),
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

/** The models with a `releasableTo` column, read off this subgraph's Prisma schema at start. */
export const RELEASABLE_MODELS = releasableModels(join(__dirname, '..', 'prisma', 'schema.prisma'));

/** A request's context for `caller`: every read narrowed to what is released to it. */
export function createContext(prisma: PrismaClient, caller: Caller): Context {
  const scoped = scopedClient(prisma, caller, RELEASABLE_MODELS);
  return {
    prisma: scoped,
    caller,
    writes: transactions<Prisma.TransactionClient>(prisma),
    indicators: createIndicatorLoaders(prisma, caller, RELEASABLE_MODELS),
    loaders: createLoaders(scoped, caller),
  };
}
