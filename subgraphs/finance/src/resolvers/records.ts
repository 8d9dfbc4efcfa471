import { loadNodes, objectiveRef, provenanceOf, regionRef } from '@bicentennial/schema';
import type {
  AssetSeizureConnectionResolvers,
  AssetSeizureResolvers,
  FinancialAdvisoryResolvers,
  NamedInstitutionResolvers,
  SanctionsDesignationConnectionResolvers,
  SanctionsDesignationResolvers,
  SuspiciousActivityStatisticResolvers,
} from '../generated/graphql';
import { isAuthority } from '../records/designations';

const day = (date: Date) => date.toISOString().slice(0, 10);

export const SanctionsDesignation: SanctionsDesignationResolvers = {
  objective: (designation) => objectiveRef(designation.objectiveId),
  // Stored as text (see schema.prisma); only SanctionsAuthority values are ever written.
  authorities: (designation) => designation.authorities.filter(isAuthority),
  dateAsPublished: (designation) =>
    designation.datePrecision === 'MONTH' ? day(designation.designatedOn).slice(0, 7) : day(designation.designatedOn),
  organization: (designation, _args, { loaders }) =>
    designation.organizationSlug ? loaders.organization.load(designation.organizationSlug) : null,
  provenance: (designation, _args, { loaders }) => provenanceOf(designation, loaders.source),
};

export const FinancialAdvisory: FinancialAdvisoryResolvers = {
  namedInstitutions: (advisory, _args, { loaders }) => loaders.institutionsByAdvisory.load(advisory.id),
  objective: (advisory) => objectiveRef(advisory.objectiveId),
  statistics: (advisory, _args, { loaders }) => loaders.statisticsByAdvisory.load(advisory.id),
  provenance: (advisory, _args, { loaders }) => provenanceOf(advisory, loaders.source),
};

export const NamedInstitution: NamedInstitutionResolvers = {
  country: (institution) => institution.countryCode,
};

export const SuspiciousActivityStatistic: SuspiciousActivityStatisticResolvers = {
  paymentMethodShares: (statistic, _args, { loaders }) => loaders.sharesByStatistic.load(statistic.id),
  objectives: (statistic) => statistic.objectiveIds.map(objectiveRef),
  publishedIn: (statistic, _args, { loaders }) =>
    statistic.advisoryId ? loaders.advisory.load(statistic.advisoryId) : null,
  provenance: (statistic, _args, { loaders }) => provenanceOf(statistic, loaders.source),
};

export const AssetSeizure: AssetSeizureResolvers = {
  objective: (seizure) => objectiveRef(seizure.objectiveId),
  country: (seizure) => regionRef(seizure.countryCode),
  organization: (seizure, _args, { loaders }) =>
    seizure.organizationSlug ? loaders.organization.load(seizure.organizationSlug) : null,
  provenance: (seizure, _args, { loaders }) => provenanceOf(seizure, loaders.source),
};

export const SanctionsDesignationConnection: SanctionsDesignationConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.designation, page.nodes),
};

export const AssetSeizureConnection: AssetSeizureConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.assetSeizure, page.nodes),
};
