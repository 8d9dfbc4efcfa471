import { badUserInput } from '@bicentennial/service';
import { rootList } from '@bicentennial/subgraph-kit';
import { OVERDOSE_ORDER } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';

const REGION = /^(US|MX)(-[A-Z]{2,3})?$/;
const OBJECTIVE = /^[1-9]\.[1-9]\.[1-9]$/;

export const Query: QueryResolvers = {
  publicHealthSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  overdoseDeaths: (_parent, { drugClass, status }, { prisma }) =>
    prisma.overdoseDeathStatistic.findMany({
      where: { ...(drugClass ? { drugClass } : {}), ...(status ? { status } : {}) },
      orderBy: OVERDOSE_ORDER,
    }),
  homicideStatistics: (_parent, { region, measure, status, ...page }, { prisma, loaders }) =>
    rootList(prisma.homicideStatistic, loaders.homicide, 'periodEnd', page, (): Prisma.HomicideStatisticWhereInput => {
      if (region != null && !REGION.test(region)) {
        throw badUserInput(`"${region.slice(0, 16)}" is not MX or an ISO 3166-2 state code such as MX-GUA`, 'region');
      }
      return {
        ...(region != null ? { regionCode: region } : {}),
        ...(measure ? { measure } : {}),
        ...(status ? { status } : {}),
      };
    }),
  programmes: (_parent, { kind, country, objectiveId, ...page }, { prisma, loaders }) =>
    rootList(prisma.programme, loaders.programme, 'startedOn', page, (): Prisma.ProgrammeWhereInput => {
      if (country != null && country !== 'US' && country !== 'MX') {
        throw badUserInput(`"${country.slice(0, 16)}" is not US or MX`, 'country');
      }
      if (objectiveId != null && !OBJECTIVE.test(objectiveId)) {
        throw badUserInput(`"${objectiveId.slice(0, 16)}" is not an objective id such as 1.2.1`, 'objectiveId');
      }
      return {
        ...(kind ? { kind } : {}),
        ...(country != null ? { countryCode: country } : {}),
        ...(objectiveId != null ? { objectiveId } : {}),
      };
    }),
  programme: (_parent, { recordId }, { prisma }) => prisma.programme.findUnique({ where: { recordId } }),
};
