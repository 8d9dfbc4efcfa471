import { badUserInput } from '@bicentennial/service';
import { dateRange, rootList } from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';
import { ORGANIZATION_SLUG } from '@bicentennial/seeds';

export const Query: QueryResolvers = {
  extraditionSources: (_parent, _args, { prisma }) => prisma.source.findMany({ orderBy: { id: 'asc' } }),
  extraditionCases: (_parent, args, { prisma, loaders }) =>
    rootList(
      prisma.extraditionCase,
      loaders.extraditionCase,
      'statusOn',
      args,
      (): Prisma.ExtraditionCaseWhereInput => {
        const { status, requestingCountry, mechanism, charge, organization, notable, from, to } = args;
        if (organization != null && !ORGANIZATION_SLUG.test(organization)) {
          throw badUserInput(
            `"${organization.slice(0, 16)}" is not an organization slug such as SINALOA`,
            'organization',
          );
        }
        return {
          ...dateRange('statusOn', from, to),
          ...(status ? { caseStatus: status } : {}),
          ...(requestingCountry ? { requestingCountry } : {}),
          ...(mechanism ? { transferMechanism: mechanism } : {}),
          ...(charge ? { charges: { has: charge } } : {}),
          ...(organization != null ? { organizationSlug: organization } : {}),
          ...(notable != null ? { notable } : {}),
        };
      },
    ),
  extraditionCase: (_parent, { recordId }, { loaders }) => loaders.extraditionCaseByRecordId.load(recordId),
  transferActions: (_parent, { mechanism, ...page }, { prisma, loaders }) =>
    rootList(prisma.transferAction, loaders.transferAction, 'endedOn', page, (): Prisma.TransferActionWhereInput =>
      mechanism ? { mechanism } : {},
    ),
};
