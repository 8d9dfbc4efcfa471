import { badUserInput } from '@bicentennial/service';
import { recordFilters, rootList, type RecordColumns } from '@bicentennial/subgraph-kit';
import { OVERDOSE_ORDER } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
import { HOMICIDE_ORDER, PROGRAMME_ORDER } from '../orders';

const OBJECTIVE = /^[1-9]\.[1-9]\.[1-9]$/;

/**
 * Where homicide statistics keep what the shared filters compare: a figure covers a span, and its
 * region is a country (a national figure) or a state in one column.
 */
const HOMICIDE_COLUMNS: RecordColumns = { date: { start: 'periodStart', end: 'periodEnd' }, region: 'regionCode' };
/** Programmes: a country (null for a binational one) and the state it runs in, when it is one state's. */
const PROGRAMME_COLUMNS: RecordColumns = { date: 'startedOn', country: 'countryCode', state: 'regionCode' };

export const Query: QueryResolvers = {
  publicHealthSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  overdoseDeaths: (_parent, { drugClass, status }, { prisma }) =>
    prisma.overdoseDeathStatistic.findMany({
      where: { ...(drugClass ? { drugClass } : {}), ...(status ? { status } : {}) },
      orderBy: OVERDOSE_ORDER,
    }),
  homicideStatistics: (
    _parent,
    { period, country, region, status, sourceKind, measure, ...page },
    { prisma, loaders },
  ) =>
    rootList(
      prisma.homicideStatistic,
      loaders.homicide,
      HOMICIDE_ORDER,
      page,
      (): Prisma.HomicideStatisticWhereInput => ({
        AND: [
          ...recordFilters({ period, country, region, status, sourceKind }, HOMICIDE_COLUMNS),
          ...(measure ? [{ measure }] : []),
        ],
      }),
    ),
  programmes: (
    _parent,
    { period, country, region, status, sourceKind, kind, objectiveId, ...page },
    { prisma, loaders },
  ) =>
    rootList(prisma.programme, loaders.programme, PROGRAMME_ORDER, page, (): Prisma.ProgrammeWhereInput => {
      const shared = recordFilters({ period, country, region, status, sourceKind }, PROGRAMME_COLUMNS);
      if (objectiveId != null && !OBJECTIVE.test(objectiveId)) {
        throw badUserInput(`"${objectiveId.slice(0, 16)}" is not an objective id such as 1.2.1`, 'objectiveId');
      }
      return {
        AND: [...shared, ...(kind ? [{ kind }] : []), ...(objectiveId != null ? [{ objectiveId }] : [])],
      };
    }),
  programme: (_parent, { recordId }, { prisma }) => prisma.programme.findUnique({ where: { recordId } }),
};
