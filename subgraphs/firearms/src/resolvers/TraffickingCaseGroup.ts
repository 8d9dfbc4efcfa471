import { groupKey, regionRef } from '@bicentennial/subgraph-kit';
import type { TraffickingCaseGroupResolvers } from '../generated/graphql';
import { organizationRef } from './CriminalOrganization';

export const TraffickingCaseGroup: TraffickingCaseGroupResolvers = {
  country: (group) => {
    const country = groupKey(group, 'country');
    return country ? regionRef(country) : null;
  },
  organization: (group) => {
    const slug = groupKey(group, 'organizationSlug');
    return slug ? organizationRef(slug) : null;
  },
  // `highLevel` is a boolean key, which `groupKey` (strings) does not read: absent unless grouped by it.
  highLevel: (group) => (typeof group['highLevel'] === 'boolean' ? group['highLevel'] : null),
  totalDefendants: (group) => group.sum['defendants'] ?? 0,
  averageDefendants: (group) => group.average['defendants'] ?? null,
  totalFirearmsInvolved: (group) => group.sum['firearmsInvolved'] ?? 0,
  averageFirearmsInvolved: (group) => group.average['firearmsInvolved'] ?? null,
};
