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
  ExtraditionCaseGroupBy,
  QueryExtraditionCasesArgs,
  QueryResolvers,
  QueryTransferActionsArgs,
  TransferActionGroupBy,
} from '../generated/graphql';
import { ORGANIZATION_SLUG } from '@bicentennial/seeds';
import { CASE_ORDER, TRANSFER_ORDER } from '../orders';

/**
 * Where extradition cases keep what the shared filters compare. A case's country is the requested
 * country, where the person is (the party asked to surrender them); cases have no state.
 */
const CASE_COLUMNS: RecordColumns = { date: 'statusOn', country: 'requestedCountry', organization: 'organizationSlug' };
/**
 * Transfers: by their last day, so that one over several days counts once, in the period it was
 * complete in; their country is the sending one, like a case's.
 */
const TRANSFER_COLUMNS: RecordColumns = { date: 'endedOn', country: 'sendingCountry' };

type CaseFilters = Omit<QueryExtraditionCasesArgs, 'first' | 'after' | 'last' | 'before' | 'orderBy'>;
type TransferFilters = Omit<QueryTransferActionsArgs, 'first' | 'after' | 'last' | 'before' | 'orderBy'>;

function checkOrganization(organization: string | null | undefined): string | undefined {
  if (organization == null) return undefined;
  if (!ORGANIZATION_SLUG.test(organization)) {
    throw badUserInput(`"${organization.slice(0, 16)}" is not an organization slug such as SINALOA`, 'organization');
  }
  return organization;
}

/** The cases `extraditionCases` and `extraditionCaseAggregates` select: one filter for the rows and their groups. */
function caseWhere({
  period,
  country,
  region,
  organization,
  status,
  sourceKind,
  caseStatus,
  requestingCountry,
  mechanism,
  charge,
  notable,
  from,
  to,
}: CaseFilters): Prisma.ExtraditionCaseWhereInput {
  return {
    AND: [
      ...recordFilters(
        { period, country, region, organization: checkOrganization(organization), status, sourceKind },
        CASE_COLUMNS,
        { from, to },
      ),
      ...(caseStatus ? [{ caseStatus }] : []),
      ...(requestingCountry ? [{ requestingCountry }] : []),
      ...(mechanism ? [{ transferMechanism: mechanism }] : []),
      ...(charge ? [{ charges: { has: charge } }] : []),
      ...(notable != null ? [{ notable }] : []),
    ],
  };
}

/** The transfers `transferActions` and `transferActionAggregates` select. */
function transferWhere({
  period,
  country,
  region,
  status,
  sourceKind,
  mechanism,
}: TransferFilters): Prisma.TransferActionWhereInput {
  return {
    AND: [
      ...recordFilters({ period, country, region, status, sourceKind }, TRANSFER_COLUMNS),
      ...(mechanism ? [{ mechanism }] : []),
    ],
  };
}

/** Cases are counted only: a case has no quantity that adds up. */
const CASE_GROUPS: GroupingSpec<ExtraditionCaseGroupBy, string, never> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    COUNTRY: 'requestedCountry',
    REQUESTING_COUNTRY: 'requestingCountry',
    ORGANIZATION: 'organizationSlug',
    CASE_STATUS: 'caseStatus',
    MECHANISM: 'transferMechanism',
    NOTABLE: 'notable',
    STATUS: 'status',
  },
  measures: [],
};

const TRANSFER_GROUPS: GroupingSpec<TransferActionGroupBy, string, 'personsTransferred'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    COUNTRY: 'sendingCountry',
    MECHANISM: 'mechanism',
    STATUS: 'status',
  },
  measures: ['personsTransferred'],
};

export const Query: QueryResolvers = {
  extraditionSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  extraditionCases: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(prisma.extraditionCase, loaders.extraditionCase, CASE_ORDER, { first, after, last, before, orderBy }, () =>
      caseWhere(filters),
    ),
  extraditionCaseAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.ExtraditionCaseWhereInput>(prisma.extraditionCase), CASE_GROUPS, groupBy, () =>
      caseWhere(filters),
    ),
  extraditionCase: (_parent, { recordId }, { loaders }) => loaders.extraditionCaseByRecordId.load(recordId),
  transferActions: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(
      prisma.transferAction,
      loaders.transferAction,
      TRANSFER_ORDER,
      { first, after, last, before, orderBy },
      () => transferWhere(filters),
    ),
  transferActionAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.TransferActionWhereInput>(prisma.transferAction), TRANSFER_GROUPS, groupBy, () =>
      transferWhere(filters),
    ),
};
