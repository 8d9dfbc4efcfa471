import { afterCursor, badUserInput, idPage, pageOf, pageSize } from '@bicentennial/schema';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
import { ORGANIZATION_SLUG } from '@bicentennial/seeds';

const toDate = (value: string | number) => new Date(value);

export const Query: QueryResolvers = {
  extraditionSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  extraditionCases: async (_parent, args, ctx) => {
    const size = pageSize(args.first);
    const { status, requestingCountry, mechanism, charge, organization, notable, from, to } = args;
    if (organization != null && !ORGANIZATION_SLUG.test(organization)) {
      throw badUserInput(`"${organization.slice(0, 16)}" is not an organization slug such as SINALOA`, 'organization');
    }
    if (from && to && new Date(from) > new Date(to)) throw badUserInput('from must not be after to', 'from');
    const where: Prisma.ExtraditionCaseWhereInput = {
      ...(status ? { caseStatus: status } : {}),
      ...(requestingCountry ? { requestingCountry } : {}),
      ...(mechanism ? { transferMechanism: mechanism } : {}),
      ...(charge ? { charges: { has: charge } } : {}),
      ...(organization != null ? { organizationSlug: organization } : {}),
      ...(notable != null ? { notable } : {}),
      ...(from || to
        ? { statusOn: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lte: new Date(to) } : {}) } }
        : {}),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.extraditionCase.findMany({
        where: { AND: [where, afterCursor(args.after, 'statusOn', toDate)] },
        orderBy: [{ statusOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.extraditionCase.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.statusOn, total),
      (r) => ctx.loaders.extraditionCase.prime(r.id, r),
    );
  },
  extraditionCase: (_parent, { recordId }, { loaders }) => loaders.extraditionCaseByRecordId.load(recordId),
  transferActions: async (_parent, { mechanism, first, after }, ctx) => {
    const size = pageSize(first);
    const where: Prisma.TransferActionWhereInput = mechanism ? { mechanism } : {};
    const [rows, total] = await Promise.all([
      ctx.prisma.transferAction.findMany({
        where: { AND: [where, afterCursor(after, 'endedOn', toDate)] },
        orderBy: [{ endedOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.transferAction.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.endedOn, total),
      (r) => ctx.loaders.transferAction.prime(r.id, r),
    );
  },
};
