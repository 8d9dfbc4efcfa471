import type { NamedInstitutionResolvers } from '../generated/graphql';

export const NamedInstitution: NamedInstitutionResolvers = {
  country: (institution) => institution.countryCode,
};
