import { join } from 'node:path';
import type { Caller } from '@bicentennial/schema';
import type DataLoader from 'dataloader';
import {
  childPageLoader,
  createIndicatorLoaders,
  loaderByGroup,
  loaderById,
  type ChildPageLoader,
  type IndicatorLoaders,
  releasableModels,
  scopedClient,
  transactions,
} from '@bicentennial/subgraph-kit';
import type {
  HomicideStatistic,
  OverdoseDeathStatistic,
  Prisma,
  PrismaClient,
  Programme,
  Source,
} from './generated/prisma/client';
import { HOMICIDE_ORDER, PROGRAMME_ORDER } from './orders';

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
  /** Reads: the Prisma client narrowed to the rows released to `caller` (records/releasability.ts). */
  prisma: PrismaClient;
  /** Who is asking, as the gateway's internal token says. */
  caller: Caller;
  /** Runs a write transaction on the unnarrowed client (the write layer applies releasability itself). */
  writes: ReturnType<typeof transactions<Prisma.TransactionClient>>;
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
export function createLoaders(prisma: PrismaClient, caller: Caller): Loaders {
  const homicides = (parentColumn: string) =>
    childPageLoader(
      prisma,
      {
        table: 'HomicideStatistic',
        date: { start: 'periodStart', end: 'periodEnd' },
        parentColumn,
        order: HOMICIDE_ORDER,
      },
      caller,
    );
  const programmes = (parentColumn: string) =>
    childPageLoader(prisma, { table: 'Programme', date: 'startedOn', parentColumn, order: PROGRAMME_ORDER }, caller);
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
