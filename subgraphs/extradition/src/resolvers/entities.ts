import { pageSize } from '@bicentennial/schema';
import type { CriminalOrganizationResolvers, JointObjectiveResolvers } from '../generated/graphql';

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  extraditionCases: (objective, { status, first, after }, { loaders }) =>
    loaders.casesByObjective.load({
      parent: objective.id,
      first: pageSize(first),
      after: after ?? null,
      ...(status ? { where: { caseStatus: status } } : {}),
    }),
  transferActions: (objective, { first, after }, { loaders }) =>
    loaders.transferActionsByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
};

export const CriminalOrganization: CriminalOrganizationResolvers = {
  // Finance owns the organization; any slug resolves here, with the cases attributed to it (if any).
  __resolveReference: ({ slug }) => ({ slug }),
  extraditions: (organization, { first, after }, { loaders }) =>
    loaders.casesByOrganization.load({ parent: organization.slug, first: pageSize(first), after: after ?? null }),
};
