import { afterCursor, badUserInput, idPage, pageOf, pageSize } from '@bicentennial/schema';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';

const STATE = /^(US|MX)-[A-Z]{2,3}$/;

function checkState(state: string | null | undefined): string | undefined {
  if (state == null) return undefined;
  if (!STATE.test(state))
    throw badUserInput(`"${state.slice(0, 16)}" is not an ISO 3166-2 state code such as US-TX`, 'state');
  return state;
}

const toDate = (value: string | number) => new Date(value);

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
  drugSeizures: async (_parent, { portCode, state, drug, from, to, first, after }, ctx) => {
    const size = pageSize(first);
    if (from && to && new Date(from) > new Date(to)) throw badUserInput('from must not be after to', 'from');
    const where: Prisma.DrugSeizureWhereInput = {
      ...(portCode != null ? { portCode } : {}),
      ...(state != null ? { stateCode: checkState(state) } : {}),
      ...(drug ? { drug } : {}),
      ...(from || to
        ? { seizedOn: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lte: new Date(to) } : {}) } }
        : {}),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.drugSeizure.findMany({
        where: { AND: [where, afterCursor(after, 'seizedOn', toDate)] },
        orderBy: [{ seizedOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.drugSeizure.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.seizedOn, total),
      (r) => ctx.loaders.drugSeizure.prime(r.id, r),
    );
  },
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
  smugglingInterdictions: async (_parent, { kind, state, first, after }, ctx) => {
    const size = pageSize(first);
    const where: Prisma.SmugglingInterdictionWhereInput = {
      ...(kind ? { kind } : {}),
      ...(state != null ? { stateCode: checkState(state) } : {}),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.smugglingInterdiction.findMany({
        where: { AND: [where, afterCursor(after, 'occurredOn', toDate)] },
        orderBy: [{ occurredOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.smugglingInterdiction.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.occurredOn, total),
      (r) => ctx.loaders.interdiction.prime(r.id, r),
    );
  },
};
