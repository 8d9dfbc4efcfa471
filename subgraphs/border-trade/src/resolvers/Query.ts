import { badUserInput } from '@bicentennial/service';
import { dateRange, rootList } from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';

const STATE = /^(US|MX)-[A-Z]{2,3}$/;

function checkState(state: string | null | undefined): string | undefined {
  if (state == null) return undefined;
  if (!STATE.test(state))
    throw badUserInput(`"${state.slice(0, 16)}" is not an ISO 3166-2 state code such as US-TX`, 'state');
  return state;
}

export const Query: QueryResolvers = {
  borderTradeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  portsOfEntry: (_parent, { state, kind }, { prisma }) =>
    prisma.portOfEntry.findMany({
      where: { ...(state != null ? { stateCode: checkState(state) } : {}), ...(kind ? { kind } : {}) },
      orderBy: { code: 'asc' },
    }),
  portOfEntry: (_parent, { code }, { loaders }) => {
    if (!/^\d{4}$/.test(code)) throw badUserInput(`"${code.slice(0, 16)}" is not a 4-digit CBP port code`, 'code');
    return loaders.port.load(code);
  },
  drugSeizures: (_parent, { portCode, state, drug, from, to, ...page }, { prisma, loaders }) =>
    rootList(prisma.drugSeizure, loaders.drugSeizure, 'seizedOn', page, (): Prisma.DrugSeizureWhereInput => ({
      ...dateRange('seizedOn', from, to),
      ...(portCode != null ? { portCode } : {}),
      ...(state != null ? { stateCode: checkState(state) } : {}),
      ...(drug ? { drug } : {}),
    })),
  seizureTotals: (_parent, { drug, scope }, { prisma }) =>
    prisma.seizureTotal.findMany({
      where: { ...(drug ? { drug } : {}), ...(scope ? { scope } : {}) },
      orderBy: [{ fiscalYear: 'asc' }, { drug: 'asc' }, { scope: 'asc' }],
    }),
  parcelInspections: (_parent, { facility }, { prisma }) =>
    prisma.parcelInspection.findMany({
      where: facility ? { facility } : {},
      orderBy: [{ fiscalYear: 'asc' }, { facility: 'asc' }],
    }),
  smugglingInterdictions: (_parent, { kind, state, ...page }, { prisma, loaders }) =>
    rootList(
      prisma.smugglingInterdiction,
      loaders.interdiction,
      'occurredOn',
      page,
      (): Prisma.SmugglingInterdictionWhereInput => ({
        ...(kind ? { kind } : {}),
        ...(state != null ? { stateCode: checkState(state) } : {}),
      }),
    ),
};
