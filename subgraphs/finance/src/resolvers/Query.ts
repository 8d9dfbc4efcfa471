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
  AssetSeizureGroupBy,
  QueryAssetSeizuresArgs,
  QueryResolvers,
  QuerySanctionsDesignationsArgs,
  SanctionsDesignationGroupBy,
} from '../generated/graphql';
import { ORGANIZATION_SLUG } from '@bicentennial/seeds';
import { ASSET_SEIZURE_ORDER, DESIGNATION_ORDER } from '../orders';

function checkSlug(slug: string, field: string): string {
  if (slug.length > 60 || !ORGANIZATION_SLUG.test(slug)) {
    throw badUserInput(`"${slug.slice(0, 24)}" is not an organization slug such as CJNG or LOS_CHAPITOS`, field);
  }
  return slug;
}

const organizationFilter = (slug: string | null | undefined) =>
  slug != null ? checkSlug(slug, 'organization') : undefined;

/** Where designations keep what the shared filters compare: an action is about organizations, not places. */
const DESIGNATION_COLUMNS: RecordColumns = { date: 'designatedOn', organization: 'organizationSlug' };
/** Asset seizures are kept by country (`countryCode`), without a state. */
const SEIZURE_COLUMNS: RecordColumns = { date: 'seizedOn', country: 'countryCode', organization: 'organizationSlug' };

type Page = 'first' | 'after' | 'last' | 'before' | 'orderBy';
type DesignationFilters = Omit<QuerySanctionsDesignationsArgs, Page>;
type SeizureFilters = Omit<QueryAssetSeizuresArgs, Page>;

/**
 * The actions `sanctionsDesignations` and `sanctionsDesignationAggregates` select: one filter for
 * the rows and their groups (`from`/`to`, deprecated, are only the list's).
 */
function designationWhere({
  period,
  organization,
  status,
  sourceKind,
  authority,
  from,
  to,
}: DesignationFilters): Prisma.SanctionsDesignationWhereInput {
  return {
    AND: [
      ...recordFilters(
        { period, organization: organizationFilter(organization), status, sourceKind },
        DESIGNATION_COLUMNS,
        { from, to },
      ),
      ...(authority ? [{ authorities: { has: authority } }] : []),
    ],
  };
}

/** The seizures `assetSeizures` and `assetSeizureAggregates` select. */
function seizureWhere({
  period,
  country,
  region,
  organization,
  status,
  sourceKind,
  assetType,
  cyberEnabled,
  from,
  to,
}: SeizureFilters): Prisma.AssetSeizureWhereInput {
  return {
    AND: [
      ...recordFilters(
        { period, country, region, organization: organizationFilter(organization), status, sourceKind },
        SEIZURE_COLUMNS,
        { from, to },
      ),
      ...(assetType ? [{ assetType }] : []),
      ...(cyberEnabled != null ? [{ cyberEnabled }] : []),
    ],
  };
}

const DESIGNATION_GROUPS: GroupingSpec<SanctionsDesignationGroupBy, string, 'individuals' | 'entities'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    ORGANIZATION: 'organizationSlug',
    STATUS: 'status',
    TARGET_KIND: 'targetKind',
  },
  measures: ['individuals', 'entities'],
};

const SEIZURE_GROUPS: GroupingSpec<AssetSeizureGroupBy, string, 'amountUsd'> = {
  keys: {
    CALENDAR_YEAR: 'calendarYear',
    US_FISCAL_YEAR: 'fiscalYear',
    COUNTRY: 'countryCode',
    ORGANIZATION: 'organizationSlug',
    STATUS: 'status',
    ASSET_TYPE: 'assetType',
    CYBER_ENABLED: 'cyberEnabled',
  },
  measures: ['amountUsd'],
};

export const Query: QueryResolvers = {
  financeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  criminalOrganizations: (_parent, { kind }, { prisma }) =>
    prisma.criminalOrganization.findMany({ where: kind ? { kind } : {}, orderBy: { slug: 'asc' } }),
  criminalOrganization: (_parent, { slug }, { loaders }) => loaders.organization.load(checkSlug(slug, 'slug')),
  sanctionsDesignations: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(
      prisma.sanctionsDesignation,
      loaders.designation,
      DESIGNATION_ORDER,
      { first, after, last, before, orderBy },
      () => designationWhere(filters),
    ),
  sanctionsDesignationAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(
      groupModel<Prisma.SanctionsDesignationWhereInput>(prisma.sanctionsDesignation),
      DESIGNATION_GROUPS,
      groupBy,
      () => designationWhere(filters),
    ),
  financialAdvisories: (_parent, { kind }, { prisma }) =>
    prisma.financialAdvisory.findMany({ where: kind ? { kind } : {}, orderBy: [{ issuedOn: 'asc' }, { id: 'asc' }] }),
  financialAdvisory: (_parent, { id }, { loaders }) => loaders.advisory.load(id),
  suspiciousActivityStatistics: (_parent, { subject }, { prisma }) =>
    prisma.suspiciousActivityStatistic.findMany({
      where: subject ? { subject } : {},
      orderBy: [{ periodStart: 'asc' }, { id: 'asc' }],
    }),
  assetSeizures: (_parent, { first, after, last, before, orderBy, ...filters }, { prisma, loaders }) =>
    rootList(
      prisma.assetSeizure,
      loaders.assetSeizure,
      ASSET_SEIZURE_ORDER,
      { first, after, last, before, orderBy },
      () => seizureWhere(filters),
    ),
  assetSeizureAggregates: (_parent, { groupBy, ...filters }, { prisma }) =>
    rootAggregate(groupModel<Prisma.AssetSeizureWhereInput>(prisma.assetSeizure), SEIZURE_GROUPS, groupBy, () =>
      seizureWhere(filters),
    ),
};
