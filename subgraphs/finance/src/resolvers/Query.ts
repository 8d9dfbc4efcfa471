import { badUserInput } from '@bicentennial/service';
import { recordFilters, rootList, type RecordColumns } from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
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

export const Query: QueryResolvers = {
  financeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  criminalOrganizations: (_parent, { kind }, { prisma }) =>
    prisma.criminalOrganization.findMany({ where: kind ? { kind } : {}, orderBy: { slug: 'asc' } }),
  criminalOrganization: (_parent, { slug }, { loaders }) => loaders.organization.load(checkSlug(slug, 'slug')),
  sanctionsDesignations: (
    _parent,
    { period, organization, status, sourceKind, authority, from, to, ...page },
    { prisma, loaders },
  ) =>
    rootList(
      prisma.sanctionsDesignation,
      loaders.designation,
      DESIGNATION_ORDER,
      page,
      (): Prisma.SanctionsDesignationWhereInput => ({
        AND: [
          ...recordFilters(
            { period, organization: organizationFilter(organization), status, sourceKind },
            DESIGNATION_COLUMNS,
            { from, to },
          ),
          ...(authority ? [{ authorities: { has: authority } }] : []),
        ],
      }),
    ),
  financialAdvisories: (_parent, { kind }, { prisma }) =>
    prisma.financialAdvisory.findMany({ where: kind ? { kind } : {}, orderBy: [{ issuedOn: 'asc' }, { id: 'asc' }] }),
  financialAdvisory: (_parent, { id }, { loaders }) => loaders.advisory.load(id),
  suspiciousActivityStatistics: (_parent, { subject }, { prisma }) =>
    prisma.suspiciousActivityStatistic.findMany({
      where: subject ? { subject } : {},
      orderBy: [{ periodStart: 'asc' }, { id: 'asc' }],
    }),
  assetSeizures: (
    _parent,
    { period, country, region, organization, status, sourceKind, assetType, cyberEnabled, from, to, ...page },
    { prisma, loaders },
  ) =>
    rootList(
      prisma.assetSeizure,
      loaders.assetSeizure,
      ASSET_SEIZURE_ORDER,
      page,
      (): Prisma.AssetSeizureWhereInput => ({
        AND: [
          ...recordFilters(
            { period, country, region, organization: organizationFilter(organization), status, sourceKind },
            SEIZURE_COLUMNS,
            { from, to },
          ),
          ...(assetType ? [{ assetType }] : []),
          ...(cyberEnabled != null ? [{ cyberEnabled }] : []),
        ],
      }),
    ),
};
