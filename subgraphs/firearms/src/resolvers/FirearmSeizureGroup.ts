import { groupKey, regionRef } from '@bicentennial/subgraph-kit';
import type { FirearmSeizureGroupResolvers } from '../generated/graphql';
import { organizationRef } from './CriminalOrganization';
import { portRef } from './PortOfEntry';

export const FirearmSeizureGroup: FirearmSeizureGroupResolvers = {
  country: (group) => {
    const country = groupKey(group, 'country');
    return country ? regionRef(country) : null;
  },
  region: (group) => {
    const state = groupKey(group, 'stateCode');
    return state ? regionRef(state) : null;
  },
  port: (group) => {
    const code = groupKey(group, 'portCode');
    return code ? portRef(code) : null;
  },
  organization: (group) => {
    const slug = groupKey(group, 'organizationSlug');
    return slug ? organizationRef(slug) : null;
  },
  totalFirearms: (group) => group.sum['firearms'] ?? 0,
  averageFirearms: (group) => group.average['firearms'] ?? null,
  totalAmmunitionRounds: (group) => group.sum['ammunitionRounds'] ?? 0,
  averageAmmunitionRounds: (group) => group.average['ammunitionRounds'] ?? null,
};
