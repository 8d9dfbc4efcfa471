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
  FirearmSeizure,
  FirearmTrace,
  PrismaClient,
  Source,
  TraceRequestStatistic,
  TraffickingCase,
  Prisma,
} from './generated/prisma/client';
import { CASE_ORDER, SEIZURE_ORDER } from './orders';

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
  /** Reads: the Prisma client narrowed to the rows released to `caller` (records/releasability.ts). */
  prisma: PrismaClient;
  /** Who is asking, as the gateway's internal token says. */
  caller: Caller;
  /** Runs a write transaction on the unnarrowed client (the write layer applies releasability itself). */
  writes: ReturnType<typeof transactions<Prisma.TransactionClient>>;
  indicators: IndicatorLoaders;
  loaders: Loaders;
}

/** Published statistics, oldest period first; of two starting together, the longer first. */
export const byPeriod = [{ periodStart: 'asc' }, { periodEnd: 'desc' }, { sourceId: 'asc' }] as const;

const seizures = (parentColumn: string) =>
  ({ table: 'FirearmSeizure', date: 'seizedOn', parentColumn, order: SEIZURE_ORDER }) as const;
const cases = (parentColumn: string) =>
  ({ table: 'TraffickingCase', date: 'openedOn', parentColumn, order: CASE_ORDER }) as const;

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient, caller: Caller): Loaders {
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
    seizuresByPort: childPageLoader(prisma, seizures('portCode'), caller),
    seizuresByState: childPageLoader(prisma, seizures('stateCode'), caller),
    seizuresByCountry: childPageLoader(prisma, seizures('country'), caller),
    seizuresByObjective: childPageLoader(prisma, seizures('objectiveId'), caller),
    seizuresByOrganization: childPageLoader(prisma, seizures('organizationSlug'), caller),
    casesByObjective: childPageLoader(prisma, cases('objectiveId'), caller),
    casesByOrganization: childPageLoader(prisma, cases('organizationSlug'), caller),
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
