import { pageSize, provenanceOf } from '@bicentennial/schema';
import type { CriminalOrganizationResolvers, JointObjectiveResolvers, RegionResolvers } from '../generated/graphql';

export const CriminalOrganization: CriminalOrganizationResolvers = {
  __resolveReference: ({ slug }, { loaders }) => loaders.organization.load(slug),
  parent: (organization, _args, { loaders }) =>
    organization.parentSlug ? loaders.organization.load(organization.parentSlug) : null,
  factions: (organization, _args, { loaders }) => loaders.factionsByParent.load(organization.slug),
  predecessor: (organization, _args, { loaders }) =>
    organization.predecessorSlug ? loaders.organization.load(organization.predecessorSlug) : null,
  successors: (organization, _args, { loaders }) => loaders.successorsByPredecessor.load(organization.slug),
  designations: (organization, { first, after }, { loaders }) =>
    loaders.designationsByOrganization.load({
      parent: organization.slug,
      first: pageSize(first),
      after: after ?? null,
    }),
  assetSeizures: (organization, { assetType, first, after }, { loaders }) =>
    loaders.seizuresByOrganization.load({
      parent: organization.slug,
      first: pageSize(first),
      after: after ?? null,
      ...(assetType ? { where: { assetType } } : {}),
    }),
  provenance: (organization, _args, { loaders }) => provenanceOf(organization, loaders.source),
};

export const Region: RegionResolvers = {
  __resolveReference: ({ code }) => ({ code }),
  assetSeizures: (region, { first, after }, { loaders }) =>
    loaders.seizuresByCountry.load({ parent: region.code, first: pageSize(first), after: after ?? null }),
};

export const JointObjective: JointObjectiveResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  sanctionsDesignations: (objective, { first, after }, { loaders }) =>
    loaders.designationsByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
  financialAdvisories: (objective, _args, { loaders }) => loaders.advisoriesByObjective.load(objective.id),
  suspiciousActivity: (objective, _args, { loaders }) => loaders.statisticsByObjective.load(objective.id),
  assetSeizures: (objective, { first, after }, { loaders }) =>
    loaders.seizuresByObjective.load({ parent: objective.id, first: pageSize(first), after: after ?? null }),
};
