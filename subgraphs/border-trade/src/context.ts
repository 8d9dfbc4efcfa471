import { join } from 'node:path';
import type { Caller } from '@bicentennial/schema';
import type DataLoader from 'dataloader';
import {
  childPageLoader,
  createIndicatorLoaders,
  loaderByGroup,
  loaderById,
  loaderByKey,
  type ChildPageLoader,
  type IndicatorLoaders,
  releasableModels,
  scopedClient,
  transactions,
} from '@bicentennial/subgraph-kit';
import type {
  DrugSeizure,
  PortOfEntry,
  PrismaClient,
  SmugglingInterdiction,
  Source,
  Prisma,
} from './generated/prisma/client';
import { DRUG_SEIZURE_ORDER, INTERDICTION_ORDER } from './orders';

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
  /** Reads: the Prisma client narrowed to the rows released to `caller` (records/releasability.ts). */
  prisma: PrismaClient;
  /** Who is asking, as the gateway's internal token says. */
  caller: Caller;
  /** Runs a write transaction on the unnarrowed client (the write layer applies releasability itself). */
  writes: ReturnType<typeof transactions<Prisma.TransactionClient>>;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

const byCode = { code: 'asc' } as const;

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient, caller: Caller): Loaders {
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
    seizuresByPort: childPageLoader(
      prisma,
      {
        table: 'DrugSeizure',
        date: 'seizedOn',
        parentColumn: 'portCode',
        order: DRUG_SEIZURE_ORDER,
      },
      caller,
    ),
    seizuresByState: childPageLoader(
      prisma,
      {
        table: 'DrugSeizure',
        date: 'seizedOn',
        parentColumn: 'stateCode',
        order: DRUG_SEIZURE_ORDER,
      },
      caller,
    ),
    seizuresByObjective: childPageLoader(
      prisma,
      {
        table: 'DrugSeizure',
        date: 'seizedOn',
        parentColumn: 'objectiveId',
        order: DRUG_SEIZURE_ORDER,
      },
      caller,
    ),
    interdictionsByPort: childPageLoader(
      prisma,
      {
        table: 'SmugglingInterdiction',
        date: 'occurredOn',
        parentColumn: 'portCode',
        order: INTERDICTION_ORDER,
      },
      caller,
    ),
    interdictionsByObjective: childPageLoader(
      prisma,
      {
        table: 'SmugglingInterdiction',
        date: 'occurredOn',
        parentColumn: 'objectiveId',
        order: INTERDICTION_ORDER,
      },
      caller,
    ),
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
