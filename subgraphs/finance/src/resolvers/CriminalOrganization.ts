import { childPage, inLanguage, provenanceOf } from '@bicentennial/subgraph-kit';
import type { CriminalOrganizationResolvers } from '../generated/graphql';

export const CriminalOrganization: CriminalOrganizationResolvers = {
  __resolveReference: ({ slug }, { loaders }) => loaders.organization.load(slug),
  name: (organization, { lang }, context) =>
    inLanguage(lang, context, { en: organization.name, es: organization.spanishName }),
  parent: (organization, _args, { loaders }) =>
    organization.parentSlug ? loaders.organization.load(organization.parentSlug) : null,
  factions: (organization, _args, { loaders }) => loaders.factionsByParent.load(organization.slug),
  predecessor: (organization, _args, { loaders }) =>
    organization.predecessorSlug ? loaders.organization.load(organization.predecessorSlug) : null,
  successors: (organization, _args, { loaders }) => loaders.successorsByPredecessor.load(organization.slug),
  designations: (organization, args, { loaders }) =>
    loaders.designationsByOrganization.load(childPage(organization.slug, args)),
  assetSeizures: (organization, args, { loaders }) =>
    loaders.seizuresByOrganization.load(childPage(organization.slug, args, { assetType: args.assetType })),
  provenance: (organization, _args, { loaders }) => provenanceOf(organization, loaders.source),
};
