import { badUserInput } from '@bicentennial/service';
import {
  groupModel,
  recordFilters,
  rootAggregate,
  rootList,
  type GroupingSpec,
  type RecordColumns,
} from '@bicentennial/subgraph-kit';
import { byPeriod } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type {
  FirearmSeizureGroupBy,
  QueryFirearmSeizuresArgs,
  QueryResolvers,
  QueryTraffickingCasesArgs,
  TraffickingCaseGroupBy,
} from '../generated/graphql';
import { COUNTRIES, organizationSlug, stateProblem, type Country } from '../records/references';
import { CASE_ORDER, SEIZURE_ORDER } from '../orders';

function checkCountry(country: string | null | undefined, field = 'country'): Country | undefined {
  if (country == null) return undefined;
  const known = COUNTRIES.find((c) => c === country);
  if (!known) throw badUserInput(`"${country.slice(0, 16)}" is not a country of the framework: US or MX`, field);
  return known;
}

/** A state filter: a known ISO 3166-2 state, of `country` when that is given too. */
function checkState(state: string | null | undefined, country: Country | undefined): string | undefined {
  if (state == null) return undefined;
  const problem = stateProblem(state.slice(0, 16), country ?? (state.startsWith('MX-') ? 'MX' : 'US'));
  if (problem) throw badUserInput(problem, 'state');
  return state;
}

function checkOrganization(slug: string | null | undefined): string | undefined {
  if (slug == null) return undefined;
  const parsed = organizationSlug.safeParse(slug);
  if (!parsed.success)
    throw badUserInput(`organization ${parsed.error.issues[0]?.message ?? 'is not a slug'}`, 'organization');
  return parsed.data;
}

/** The deprecated `portCode` of `firearmSeizures`, checked under its own name. */
function checkPortCode(portCode: string | null | undefined): string | undefined {
  if (portCode == null) return undefined;
  if (!/^\d{4}$/.test(portCode))
    throw badUserInput(`"${portCode.slice(0, 16)}" is not a 4-digit CBP port code`, 'portCode');
  return portCode;
}

/** Where firearm seizures keep what the shared filters compare. */
const SEIZURE_COLUMNS: RecordColumns = {
  date: 'seizedOn',
  country: 'country',
  state: 'stateCode',
  port: 'portCode',
  organization: 'organizationSlug',
};
/** Trafficking cases are kept by the country of their jurisdiction, without a state. */
const CASE_COLUMNS: RecordColumns = { date: 'openedOn', country: 'country', organization: 'organizationSlug' };

type SeizureFilters = Omit<QueryFirearmSeizuresArgs, 'first' | 'after' | 'last' | 'before' | 'orderBy'>;
type CaseFilters = Omit<QueryTraffickingCasesArgs, 'first' | 'after' | 'last' | 'before' | 'orderBy'>;

/**
 * The seizures `firearmSeizures` and `firearmSeizureAggregates` select: one filter for the rows and
 * their groups (the aggregate has no deprecated arguments; the list's mean what they always did).
 */
function seizureWhere({
  period,
  country,
  region,
  port,
  organization,
  status,
  sourceKind,
  firearmType,
  seizingAgency,
  portCode,
  state,
  from,
  to,
}: SeizureFilters): Prisma.FirearmSeizureWhereInput {
  // The deprecated `state` keeps its own check: a known state, of `country` when that is given.
  const oldState = state != null ? checkState(state, checkCountry(country)) : undefined;
  return {
    AND: [
      ...recordFilters(
        {
          period,
          country,
          region: region ?? oldState,
          port: port ?? checkPortCode(portCode),
          organization: checkOrganization(organization),
          status,
          sourceKind,
        },
        SEIZURE_COLUMNS,
        { from, to },
      ),
      ...(firearmType ? [{ firearmType }] : []),
      ...(seizingAgency ? [{ seizingAgency }] : []),
    ],
  };
}

/** The cases `traffickingCases` and `traffickingCaseAggregates` select. */
function caseWhere({
  period,
  country,
  region,
  organization,
  status,
  sourceKind,
  caseStatus,
  highLevel,
}: CaseFilters): Prisma.TraffickingCaseWhereInput {
  return {
    AND: [
      ...recordFilters(
        { period, country, region, organization: checkOrganization(organization), status, sourceKind },
        CASE_COLUMNS,
      ),
      ...(caseStatus ? [{ caseStatus }] : []),
      ...(highLevel != null ? [{ highLevel }] : []),
    ],
  };
}

/** What seizures are grouped by (`FirearmSeizureGroupBy`) and measured: firearms and rounds, never added together. */
const SEIZURE_GROUPS: GroupingSpec<FirearmSeizureGroupBy, string, 'firearms' | 'ammunitionRounds'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    COUNTRY: 'country',
    REGION: 'stateCode',
    PORT: 'portCode',
    ORGANIZATION: 'organizationSlug',
    STATUS: 'status',
    FIREARM_TYPE: 'firearmType',
    SEIZING_AGENCY: 'seizingAgency',
  },
  measures: ['firearms', 'ammunitionRounds'],
};

/** What cases are grouped by (`TraffickingCaseGroupBy`; years of `openedOn`) and measured: defendants and firearms. */
const CASE_GROUPS: GroupingSpec<TraffickingCaseGroupBy, string, 'defendants' | 'firearmsInvolved'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    COUNTRY: 'country',
    ORGANIZATION: 'organizationSlug',
    STATUS: 'status',
    CASE_STATUS: 'caseStatus',
    HIGH_LEVEL: 'highLevel',
  },
  measures: ['defendants', 'firearmsInvolved'],
};

export const Query: QueryResolvers = {
  firearmsSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  firearmTraces: (_parent, args, { prisma }) => {
    const country = checkCountry(args.country);
    const state = checkState(args.state, country);
    const region = recordFilters(
      { region: args.region },
      { date: { start: 'periodStart', end: 'periodEnd' }, country: 'recoveryCountry', state: 'recoveryState' },
    );
    return prisma.firearmTrace.findMany({
      where: {
        AND: [
          ...(country ? [{ recoveryCountry: country }] : []),
          ...(state ? [{ recoveryState: state }] : []),
          ...region,
        ],
      },
      orderBy: [...byPeriod],
    });
  },
  traceRequestStatistics: (_parent, args, { prisma }) => {
    const country = checkCountry(args.country);
    return prisma.traceRequestStatistic.findMany({
      where: country ? { requestingCountry: country } : {},
      orderBy: [...byPeriod],
    });
  },
  firearmSeizures: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(prisma.firearmSeizure, loaders.seizure, SEIZURE_ORDER, { first, after, last, before, orderBy }, () =>
      seizureWhere(filters),
    ),
  firearmSeizureAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.FirearmSeizureWhereInput>(prisma.firearmSeizure), SEIZURE_GROUPS, groupBy, () =>
      seizureWhere(filters),
    ),
  traffickingCases: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(prisma.traffickingCase, loaders.traffickingCase, CASE_ORDER, { first, after, last, before, orderBy }, () =>
      caseWhere(filters),
    ),
  traffickingCaseAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.TraffickingCaseWhereInput>(prisma.traffickingCase), CASE_GROUPS, groupBy, () =>
      caseWhere(filters),
    ),
};
