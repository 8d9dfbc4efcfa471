import { join } from 'node:path';
import type { Caller } from '@bicentennial/schema';
import DataLoader from 'dataloader';
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
  AssetSeizure,
  CriminalOrganization,
  FinancialAdvisory,
  NamedInstitution,
  PaymentMethodShare,
  PrismaClient,
  SanctionsDesignation,
  Source,
  SuspiciousActivityStatistic,
  Prisma,
} from './generated/prisma/client';
import { ASSET_SEIZURE_ORDER, DESIGNATION_ORDER } from './orders';

export interface Loaders {
  source: DataLoader<string, Source | null>;
  organization: DataLoader<string, CriminalOrganization | null>;
  factionsByParent: DataLoader<string, CriminalOrganization[]>;
  successorsByPredecessor: DataLoader<string, CriminalOrganization[]>;
  designation: DataLoader<string, SanctionsDesignation | null>;
  designationsByOrganization: ChildPageLoader;
  designationsByObjective: ChildPageLoader;
  advisory: DataLoader<string, FinancialAdvisory | null>;
  advisoriesByObjective: DataLoader<string, FinancialAdvisory[]>;
  institutionsByAdvisory: DataLoader<string, NamedInstitution[]>;
  statisticsByAdvisory: DataLoader<string, SuspiciousActivityStatistic[]>;
  statisticsByObjective: DataLoader<string, SuspiciousActivityStatistic[]>;
  sharesByStatistic: DataLoader<string, PaymentMethodShare[]>;
  assetSeizure: DataLoader<string, AssetSeizure | null>;
  seizuresByOrganization: ChildPageLoader;
  seizuresByObjective: ChildPageLoader;
  seizuresByCountry: ChildPageLoader;
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

const bySlug = { slug: 'asc' } as const;
const byIssue = [{ issuedOn: 'asc' }, { id: 'asc' }] as const;
const byPeriod = [{ periodStart: 'asc' }, { id: 'asc' }] as const;

/** Fresh per request: one query per kind of row or page, whatever the number asked. */
export function createLoaders(prisma: PrismaClient, caller: Caller): Loaders {
  const designationPages = (parentColumn: string) =>
    childPageLoader(
      prisma,
      {
        table: 'SanctionsDesignation',
        date: 'designatedOn',
        parentColumn,
        order: DESIGNATION_ORDER,
      },
      caller,
    );
  const seizurePages = (parentColumn: string) =>
    childPageLoader(
      prisma,
      { table: 'AssetSeizure', date: 'seizedOn', parentColumn, order: ASSET_SEIZURE_ORDER },
      caller,
    );
  return {
    source: loaderById(prisma.source),
    organization: loaderByKey(
      (slugs) => prisma.criminalOrganization.findMany({ where: { slug: { in: [...slugs] } } }),
      (o) => o.slug,
    ),
    factionsByParent: loaderByGroup(
      (slugs) => prisma.criminalOrganization.findMany({ where: { parentSlug: { in: [...slugs] } }, orderBy: bySlug }),
      (o) => o.parentSlug ?? '',
    ),
    successorsByPredecessor: loaderByGroup(
      (slugs) =>
        prisma.criminalOrganization.findMany({ where: { predecessorSlug: { in: [...slugs] } }, orderBy: bySlug }),
      (o) => o.predecessorSlug ?? '',
    ),
    designation: loaderById(prisma.sanctionsDesignation),
    designationsByOrganization: designationPages('organizationSlug'),
    designationsByObjective: designationPages('objectiveId'),
    advisory: loaderById(prisma.financialAdvisory),
    advisoriesByObjective: loaderByGroup(
      (ids) => prisma.financialAdvisory.findMany({ where: { objectiveId: { in: [...ids] } }, orderBy: [...byIssue] }),
      (a) => a.objectiveId,
    ),
    institutionsByAdvisory: loaderByGroup(
      (ids) => prisma.namedInstitution.findMany({ where: { advisoryId: { in: [...ids] } }, orderBy: { name: 'asc' } }),
      (i) => i.advisoryId,
    ),
    statisticsByAdvisory: loaderByGroup(
      (ids) =>
        prisma.suspiciousActivityStatistic.findMany({
          where: { advisoryId: { in: [...ids] } },
          orderBy: [...byPeriod],
        }),
      (s) => s.advisoryId ?? '',
    ),
    // A statistic counts toward several objectives (objectiveIds), so one row can join several groups.
    statisticsByObjective: new DataLoader(async (ids) => {
      const rows = await prisma.suspiciousActivityStatistic.findMany({
        where: { objectiveIds: { hasSome: [...new Set(ids)] } },
        orderBy: [...byPeriod],
      });
      return ids.map((id) => rows.filter((row) => row.objectiveIds.includes(id)));
    }),
    sharesByStatistic: loaderByGroup(
      (ids) =>
        prisma.paymentMethodShare.findMany({
          where: { statisticId: { in: [...ids] } },
          orderBy: [{ percent: 'desc' }, { method: 'asc' }],
        }),
      (s) => s.statisticId,
    ),
    assetSeizure: loaderById(prisma.assetSeizure),
    seizuresByOrganization: seizurePages('organizationSlug'),
    seizuresByObjective: seizurePages('objectiveId'),
    seizuresByCountry: seizurePages('countryCode'),
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
