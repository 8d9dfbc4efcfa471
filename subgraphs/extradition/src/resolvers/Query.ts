import { badUserInput } from '@bicentennial/service';
import { recordFilters, rootList, type RecordColumns } from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
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

function checkOrganization(organization: string | null | undefined): string | undefined {
  if (organization == null) return undefined;
  if (!ORGANIZATION_SLUG.test(organization)) {
    throw badUserInput(`"${organization.slice(0, 16)}" is not an organization slug such as SINALOA`, 'organization');
  }
  return organization;
}

export const Query: QueryResolvers = {
  extraditionSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  extraditionCases: (
    _parent,
    {
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
      ...page
    },
    { prisma, loaders },
  ) =>
    rootList(
      prisma.extraditionCase,
      loaders.extraditionCase,
      CASE_ORDER,
      page,
      (): Prisma.ExtraditionCaseWhereInput => ({
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
      }),
    ),
  extraditionCase: (_parent, { recordId }, { loaders }) => loaders.extraditionCaseByRecordId.load(recordId),
  transferActions: (
    _parent,
    { period, country, region, status, sourceKind, mechanism, ...page },
    { prisma, loaders },
  ) =>
    rootList(
      prisma.transferAction,
      loaders.transferAction,
      TRANSFER_ORDER,
      page,
      (): Prisma.TransferActionWhereInput => ({
        AND: [
          ...recordFilters({ period, country, region, status, sourceKind }, TRANSFER_COLUMNS),
          ...(mechanism ? [{ mechanism }] : []),
        ],
      }),
    ),
};
