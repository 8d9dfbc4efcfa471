import { badUserInput } from '@bicentennial/service';
import {
  groupModel,
  recordFilters,
  rootAggregate,
  rootList,
  type GroupingSpec,
  type RecordColumns,
} from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';
import type {
  DrugSeizureGroupBy,
  QueryDrugSeizuresArgs,
  QueryResolvers,
  QuerySmugglingInterdictionsArgs,
  SmugglingInterdictionGroupBy,
} from '../generated/graphql';
import { DRUG_SEIZURE_ORDER, INTERDICTION_ORDER } from '../orders';

const STATE = /^(US|MX)-[A-Z]{2,3}$/;

function checkState(state: string | null | undefined): string | undefined {
  if (state == null) return undefined;
  if (!STATE.test(state))
    throw badUserInput(`"${state.slice(0, 16)}" is not an ISO 3166-2 state code such as US-TX`, 'state');
  return state;
}

/** Where drug seizures keep what the shared filters compare (all in U.S. states). */
const SEIZURE_COLUMNS: RecordColumns = { date: 'seizedOn', state: 'stateCode', port: 'portCode' };
const INTERDICTION_COLUMNS: RecordColumns = { date: 'occurredOn', state: 'stateCode', port: 'portCode' };

type SeizureFilters = Omit<QueryDrugSeizuresArgs, 'first' | 'after' | 'last' | 'before' | 'orderBy'>;
type InterdictionFilters = Omit<QuerySmugglingInterdictionsArgs, 'first' | 'after' | 'last' | 'before' | 'orderBy'>;

/** The seizures `drugSeizures` and `drugSeizureAggregates` select: one filter for the rows and their groups. */
function seizureWhere({
  portCode,
  state,
  drug,
  from,
  to,
  period,
  country,
  region,
  port,
  status,
  sourceKind,
}: SeizureFilters): Prisma.DrugSeizureWhereInput {
  return {
    AND: [
      ...recordFilters(
        { period, country, region: region ?? checkState(state), port: port ?? portCode, status, sourceKind },
        SEIZURE_COLUMNS,
        { from, to },
      ),
      ...(drug ? [{ drug }] : []),
    ],
  };
}

/** The interdictions `smugglingInterdictions` and `smugglingInterdictionAggregates` select. */
function interdictionWhere({
  kind,
  state,
  period,
  country,
  region,
  port,
  status,
  sourceKind,
}: InterdictionFilters): Prisma.SmugglingInterdictionWhereInput {
  return {
    AND: [
      ...recordFilters(
        { period, country, region: region ?? checkState(state), port, status, sourceKind },
        INTERDICTION_COLUMNS,
      ),
      ...(kind ? [{ kind }] : []),
    ],
  };
}

const SEIZURE_GROUPS: GroupingSpec<DrugSeizureGroupBy, string, 'quantityKg'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    REGION: 'stateCode',
    PORT: 'portCode',
    DRUG: 'drug',
    MODE: 'mode',
    STATUS: 'status',
  },
  measures: ['quantityKg'],
};

const INTERDICTION_GROUPS: GroupingSpec<SmugglingInterdictionGroupBy, string, 'personsRescued' | 'suspectsArrested'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    REGION: 'stateCode',
    PORT: 'portCode',
    KIND: 'kind',
    STATUS: 'status',
  },
  measures: ['personsRescued', 'suspectsArrested'],
};

export const Query: QueryResolvers = {
  borderTradeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  portsOfEntry: (_parent, { region, state, kind }, { prisma }) =>
    prisma.portOfEntry.findMany({
      where: {
        AND: [
          // The shared filter's rule (filters.ts): a country is its states, a state itself.
          // (Ports take no `period`: the date column is never read.)
          ...recordFilters({ region: region ?? checkState(state) }, { date: 'openedOn', state: 'stateCode' }),
          ...(kind ? [{ kind }] : []),
        ],
      },
      orderBy: { code: 'asc' },
    }),
  portOfEntry: (_parent, { code }, { loaders }) => {
    if (!/^\d{4}$/.test(code)) throw badUserInput(`"${code.slice(0, 16)}" is not a 4-digit CBP port code`, 'code');
    return loaders.port.load(code);
  },
  drugSeizures: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(prisma.drugSeizure, loaders.drugSeizure, DRUG_SEIZURE_ORDER, { first, after, last, before, orderBy }, () =>
      seizureWhere(filters),
    ),
  drugSeizureAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.DrugSeizureWhereInput>(prisma.drugSeizure), SEIZURE_GROUPS, groupBy, () =>
      seizureWhere(filters),
    ),
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
  smugglingInterdictions: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(
      prisma.smugglingInterdiction,
      loaders.interdiction,
      INTERDICTION_ORDER,
      { first, after, last, before, orderBy },
      () => interdictionWhere(filters),
    ),
  smugglingInterdictionAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(
      groupModel<Prisma.SmugglingInterdictionWhereInput>(prisma.smugglingInterdiction),
      INTERDICTION_GROUPS,
      groupBy,
      () => interdictionWhere(filters),
    ),
};
