import { afterCursor, badUserInput, idPage, pageOf, pageSize } from '@bicentennial/schema';
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

function dateRange<F extends string>(
  field: F,
  from: Date | string | null | undefined,
  to: Date | string | null | undefined,
) {
  if (from && to && new Date(from) > new Date(to)) throw badUserInput('from must not be after to', 'from');
  if (!from && !to) return {};
  return { [field]: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lte: new Date(to) } : {}) } };
}

const toDate = (value: string | number) => new Date(value);

export const Query: QueryResolvers = {
  financeSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  criminalOrganizations: (_parent, { kind }, { prisma }) =>
    prisma.criminalOrganization.findMany({ where: kind ? { kind } : {}, orderBy: { slug: 'asc' } }),
  criminalOrganization: (_parent, { slug }, { loaders }) => loaders.organization.load(checkSlug(slug, 'slug')),
  sanctionsDesignations: async (_parent, { organization, authority, from, to, first, after }, ctx) => {
    const size = pageSize(first);
    const where: Prisma.SanctionsDesignationWhereInput = {
      ...(organization != null ? { organizationSlug: checkSlug(organization, 'organization') } : {}),
      ...(authority ? { authorities: { has: authority } } : {}),
      ...dateRange('designatedOn', from, to),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.sanctionsDesignation.findMany({
        where: { AND: [where, afterCursor(after, 'designatedOn', toDate)] },
        orderBy: [{ designatedOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.sanctionsDesignation.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.designatedOn, total),
      (r) => ctx.loaders.designation.prime(r.id, r),
    );
  },
  financialAdvisories: (_parent, { kind }, { prisma }) =>
    prisma.financialAdvisory.findMany({ where: kind ? { kind } : {}, orderBy: [{ issuedOn: 'asc' }, { id: 'asc' }] }),
  financialAdvisory: (_parent, { id }, { loaders }) => loaders.advisory.load(id),
  suspiciousActivityStatistics: (_parent, { subject }, { prisma }) =>
    prisma.suspiciousActivityStatistic.findMany({
      where: subject ? { subject } : {},
      orderBy: [{ periodStart: 'asc' }, { id: 'asc' }],
    }),
  assetSeizures: async (_parent, { country, organization, assetType, cyberEnabled, from, to, first, after }, ctx) => {
    const size = pageSize(first);
    const where: Prisma.AssetSeizureWhereInput = {
      ...(country != null ? { countryCode: checkCountry(country) } : {}),
      ...(organization != null ? { organizationSlug: checkSlug(organization, 'organization') } : {}),
      ...(assetType ? { assetType } : {}),
      ...(cyberEnabled != null ? { cyberEnabled } : {}),
      ...dateRange('seizedOn', from, to),
    };
    const [rows, total] = await Promise.all([
      ctx.prisma.assetSeizure.findMany({
        where: { AND: [where, afterCursor(after, 'seizedOn', toDate)] },
        orderBy: [{ seizedOn: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      ctx.prisma.assetSeizure.count({ where }),
    ]);
    return idPage(
      pageOf(rows, size, (r) => r.seizedOn, total),
      (r) => ctx.loaders.assetSeizure.prime(r.id, r),
    );
  },
};
