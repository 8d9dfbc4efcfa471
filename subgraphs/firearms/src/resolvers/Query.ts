import { badUserInput } from '@bicentennial/service';
import { dateRange, rootList } from '@bicentennial/subgraph-kit';
import { byPeriod } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
import { COUNTRIES, organizationSlug, stateProblem, type Country } from '../records/references';

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

export const Query: QueryResolvers = {
  firearmsSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  firearmTraces: (_parent, args, { prisma }) => {
    const country = checkCountry(args.country);
    const state = checkState(args.state, country);
    return prisma.firearmTrace.findMany({
      where: { ...(country ? { recoveryCountry: country } : {}), ...(state ? { recoveryState: state } : {}) },
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
  firearmSeizures: (_parent, args, { prisma, loaders }) =>
    rootList(prisma.firearmSeizure, loaders.seizure, 'seizedOn', args, (): Prisma.FirearmSeizureWhereInput => {
      const country = checkCountry(args.country);
      const state = checkState(args.state, country);
      const organization = checkOrganization(args.organization);
      const { portCode, firearmType, seizingAgency, from, to } = args;
      if (portCode != null && !/^\d{4}$/.test(portCode))
        throw badUserInput(`"${portCode.slice(0, 16)}" is not a 4-digit CBP port code`, 'portCode');
      return {
        ...dateRange('seizedOn', from, to),
        ...(portCode != null ? { portCode } : {}),
        ...(country ? { country } : {}),
        ...(state ? { stateCode: state } : {}),
        ...(firearmType ? { firearmType } : {}),
        ...(seizingAgency ? { seizingAgency } : {}),
        ...(organization ? { organizationSlug: organization } : {}),
      };
    }),
  traffickingCases: (_parent, args, { prisma, loaders }) =>
    rootList(
      prisma.traffickingCase,
      loaders.traffickingCase,
      'openedOn',
      args,
      (): Prisma.TraffickingCaseWhereInput => {
        const country = checkCountry(args.country);
        const organization = checkOrganization(args.organization);
        return {
          ...(country ? { country } : {}),
          ...(args.caseStatus ? { caseStatus: args.caseStatus } : {}),
          ...(args.highLevel != null ? { highLevel: args.highLevel } : {}),
          ...(organization ? { organizationSlug: organization } : {}),
        };
      },
    ),
};
