import { afterCursor, badUserInput, idPage, pageOf, pageSize } from '@bicentennial/schema';
import { OVERDOSE_ORDER } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';

const REGION = /^(US|MX)(-[A-Z]{2,3})?$/;
const OBJECTIVE = /^[1-9]\.[1-9]\.[1-9]$/;

const toDate = (value: string | number) => new Date(value);

export const Query: QueryResolvers = {
  publicHealthSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  overdoseDeaths: (_parent, { drugClass, status }, { prisma }) =>
    prisma.overdoseDeathStatistic.findMany({
      where: { ...(drugClass ? { drugClass } : {}), ...(status ? { status } : {}) },
      orderBy: OVERDOSE_ORDER,
    }),
  homicideStatistics: async (_parent, { region, measure, status, first, after }, ctx) => {
    const size = pageSize(first);
    if (region != null && !REGION.test(region)) {
      throw badUserInput(`"${region.slice(0, 16)}" is not MX or an ISO 3166-2 state code such as MX-GUA`, 'region');
    }
    const where: Prisma.HomicideStatisticWhereInput = {
      ...(region != null ? { regionCode: region } : {}),
      ...(measure ? { measure } : {}),
      ...(status ? { status } : {}),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.homicideStatistic.findMany({
        where: { AND: [where, afterCursor(after, 'periodEnd', toDate)] },
        orderBy: [{ periodEnd: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.homicideStatistic.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.periodEnd, total),
      (r) => ctx.loaders.homicide.prime(r.id, r),
    );
  },
  programmes: async (_parent, { kind, country, objectiveId, first, after }, ctx) => {
    const size = pageSize(first);
    if (country != null && country !== 'US' && country !== 'MX') {
      throw badUserInput(`"${country.slice(0, 16)}" is not US or MX`, 'country');
    }
    if (objectiveId != null && !OBJECTIVE.test(objectiveId)) {
      throw badUserInput(`"${objectiveId.slice(0, 16)}" is not an objective id such as 1.2.1`, 'objectiveId');
    }
    const where: Prisma.ProgrammeWhereInput = {
      ...(kind ? { kind } : {}),
      ...(country != null ? { countryCode: country } : {}),
      ...(objectiveId != null ? { objectiveId } : {}),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.programme.findMany({
        where: { AND: [where, afterCursor(after, 'startedOn', toDate)] },
        orderBy: [{ startedOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.programme.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.startedOn, total),
      (r) => ctx.loaders.programme.prime(r.id, r),
    );
  },
  programme: (_parent, { recordId }, { prisma }) => prisma.programme.findUnique({ where: { recordId } }),
};
