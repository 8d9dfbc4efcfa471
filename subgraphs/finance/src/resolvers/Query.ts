import { badUserInput } from '@bicentennial/service';
import { dateRange, rootList } from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
import { ORGANIZATION_SLUG } from '@bicentennial/seeds';

function checkSlug(slug: string, field: string): string {
  if (slug.length > 60 || !ORGANIZATION_SLUG.test(slug)) {
    throw badUserInput(`"${slug.slice(0, 24)}" is not an organization slug such as CJNG or LOS_CHAPITOS`, field);
  }
  return slug;
}

function checkCountry(country: string): string {
  if (country !== 'US' && country !== 'MX') throw badUserInput(`"${country.slice(0, 16)}" is not US or MX`, 'country');
  return country;
}

export const Query: QueryResolvers = {
  financeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  criminalOrganizations: (_parent, { kind }, { prisma }) =>
    prisma.criminalOrganization.findMany({ where: kind ? { kind } : {}, orderBy: { slug: 'asc' } }),
  criminalOrganization: (_parent, { slug }, { loaders }) => loaders.organization.load(checkSlug(slug, 'slug')),
  sanctionsDesignations: (_parent, { organization, authority, from, to, ...page }, { prisma, loaders }) =>
    rootList(
      prisma.sanctionsDesignation,
      loaders.designation,
      'designatedOn',
      page,
      (): Prisma.SanctionsDesignationWhereInput => ({
        ...(organization != null ? { organizationSlug: checkSlug(organization, 'organization') } : {}),
        ...(authority ? { authorities: { has: authority } } : {}),
        ...dateRange('designatedOn', from, to),
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
    { country, organization, assetType, cyberEnabled, from, to, ...page },
    { prisma, loaders },
  ) =>
    rootList(prisma.assetSeizure, loaders.assetSeizure, 'seizedOn', page, (): Prisma.AssetSeizureWhereInput => ({
      ...(country != null ? { countryCode: checkCountry(country) } : {}),
      ...(organization != null ? { organizationSlug: checkSlug(organization, 'organization') } : {}),
      ...(assetType ? { assetType } : {}),
      ...(cyberEnabled != null ? { cyberEnabled } : {}),
      ...dateRange('seizedOn', from, to),
    })),
};
