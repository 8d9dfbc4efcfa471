import { badUserInput } from '@bicentennial/service';
import {
  groupModel,
  recordFilters,
  rootAggregate,
  rootList,
  type GroupingSpec,
  type RecordColumns,
} from '@bicentennial/subgraph-kit';
import { OVERDOSE_ORDER } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type {
  HomicideStatisticGroupBy,
  ProgrammeGroupBy,
  QueryHomicideStatisticsArgs,
  QueryProgrammesArgs,
  QueryResolvers,
} from '../generated/graphql';
import { HOMICIDE_ORDER, PROGRAMME_ORDER } from '../orders';

const OBJECTIVE = /^[1-9]\.[1-9]\.[1-9]$/;

/**
 * Where homicide statistics keep what the shared filters compare: a figure covers a span, and its
 * region is a country (a national figure) or a state in one column.
 */
const HOMICIDE_COLUMNS: RecordColumns = { date: { start: 'periodStart', end: 'periodEnd' }, region: 'regionCode' };
/** Programmes: a country (null for a binational one) and the state it runs in, when it is one state's. */
const PROGRAMME_COLUMNS: RecordColumns = { date: 'startedOn', country: 'countryCode', state: 'regionCode' };

type Page = 'first' | 'after' | 'last' | 'before' | 'orderBy';
type HomicideFilters = Omit<QueryHomicideStatisticsArgs, Page>;
type ProgrammeFilters = Omit<QueryProgrammesArgs, Page>;

/** The statistics `homicideStatistics` and `homicideStatisticAggregates` select: one filter for the rows and their groups. */
function homicideWhere({
  period,
  country,
  region,
  status,
  sourceKind,
  measure,
}: HomicideFilters): Prisma.HomicideStatisticWhereInput {
  return {
    AND: [
      ...recordFilters({ period, country, region, status, sourceKind }, HOMICIDE_COLUMNS),
      ...(measure ? [{ measure }] : []),
    ],
  };
}

/** The programmes `programmes` and `programmeAggregates` select. */
function programmeWhere({
  period,
  country,
  region,
  status,
  sourceKind,
  kind,
  objectiveId,
}: ProgrammeFilters): Prisma.ProgrammeWhereInput {
  const shared = recordFilters({ period, country, region, status, sourceKind }, PROGRAMME_COLUMNS);
  if (objectiveId != null && !OBJECTIVE.test(objectiveId)) {
    throw badUserInput(`"${objectiveId.slice(0, 16)}" is not an objective id such as 1.2.1`, 'objectiveId');
  }
  return {
    AND: [...shared, ...(kind ? [{ kind }] : []), ...(objectiveId != null ? [{ objectiveId }] : [])],
  };
}

/**
 * A figure is grouped by the years of its first day, and counted as stored: period kind, region,
 * measure, status and source are group keys so that a caller can keep apart the figures that
 * count the same homicides (a year and its months, Mexico and its states).
 */
const HOMICIDE_GROUPS: GroupingSpec<HomicideStatisticGroupBy, string, 'count'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    PERIOD_KIND: 'periodKind',
    REGION: 'regionCode',
    MEASURE: 'measure',
    STATUS: 'status',
    SOURCE: 'sourceId',
  },
  measures: ['count'],
};

const PROGRAMME_GROUPS: GroupingSpec<ProgrammeGroupBy, string, 'fundingUsd' | 'peopleReached'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    COUNTRY: 'countryCode',
    REGION: 'regionCode',
    KIND: 'kind',
    OBJECTIVE: 'objectiveId',
    STATUS: 'status',
  },
  measures: ['fundingUsd', 'peopleReached'],
};

export const Query: QueryResolvers = {
  publicHealthSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  overdoseDeaths: (_parent, { drugClass, status }, { prisma }) =>
    prisma.overdoseDeathStatistic.findMany({
      where: { ...(drugClass ? { drugClass } : {}), ...(status ? { status } : {}) },
      orderBy: OVERDOSE_ORDER,
    }),
  homicideStatistics: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(prisma.homicideStatistic, loaders.homicide, HOMICIDE_ORDER, { first, after, last, before, orderBy }, () =>
      homicideWhere(filters),
    ),
  homicideStatisticAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(
      groupModel<Prisma.HomicideStatisticWhereInput>(prisma.homicideStatistic),
      HOMICIDE_GROUPS,
      groupBy,
      () => homicideWhere(filters),
    ),
  programmes: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(prisma.programme, loaders.programme, PROGRAMME_ORDER, { first, after, last, before, orderBy }, () =>
      programmeWhere(filters),
    ),
  programmeAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.ProgrammeWhereInput>(prisma.programme), PROGRAMME_GROUPS, groupBy, () =>
      programmeWhere(filters),
    ),
  programme: (_parent, { recordId }, { prisma }) => prisma.programme.findUnique({ where: { recordId } }),
};
