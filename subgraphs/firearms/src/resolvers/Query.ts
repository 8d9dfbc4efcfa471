import { badUserInput } from '@bicentennial/service';
import { recordFilters, rootList, type RecordColumns } from '@bicentennial/subgraph-kit';
import { byPeriod } from '../context';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
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
  firearmSeizures: (
    _parent,
    {
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
      ...page
    },
    { prisma, loaders },
  ) =>
    rootList(prisma.firearmSeizure, loaders.seizure, SEIZURE_ORDER, page, (): Prisma.FirearmSeizureWhereInput => {
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
    }),
  traffickingCases: (
    _parent,
    { period, country, region, organization, status, sourceKind, caseStatus, highLevel, ...page },
    { prisma, loaders },
  ) =>
    rootList(
      prisma.traffickingCase,
      loaders.traffickingCase,
      CASE_ORDER,
      page,
      (): Prisma.TraffickingCaseWhereInput => ({
        AND: [
          ...recordFilters(
            { period, country, region, organization: checkOrganization(organization), status, sourceKind },
            CASE_COLUMNS,
          ),
          ...(caseStatus ? [{ caseStatus }] : []),
          ...(highLevel != null ? [{ highLevel }] : []),
        ],
      }),
    ),
};
