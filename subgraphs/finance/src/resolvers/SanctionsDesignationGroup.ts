import { groupKey } from '@bicentennial/subgraph-kit';
import type { SanctionsDesignationGroupResolvers } from '../generated/graphql';

export const SanctionsDesignationGroup: SanctionsDesignationGroupResolvers = {
  organization: (group, _args, { loaders }) => {
    const slug = groupKey(group, 'organizationSlug');
    return slug ? loaders.organization.load(slug) : null;
  },
  individualsPublishedCount: (group) => group.counted['individuals'] ?? 0,
  totalIndividuals: (group) => group.sum['individuals'] ?? null,
  averageIndividuals: (group) => group.average['individuals'] ?? null,
  entitiesPublishedCount: (group) => group.counted['entities'] ?? 0,
  totalEntities: (group) => group.sum['entities'] ?? null,
  averageEntities: (group) => group.average['entities'] ?? null,
};
