import { groupKey } from '@bicentennial/subgraph-kit';
import type { ExtraditionCaseGroupResolvers, TransferMechanism, TreatyParty } from '../generated/graphql';
import { organizationRef } from './CriminalOrganization';

/**
 * The keys whose field is not named after its column (`country` is `requestedCountry`); the others
 * (`calendarYear`, `requestingCountry`, `caseStatus`, `notable`, `status`) the default resolvers read.
 */
export const ExtraditionCaseGroup: ExtraditionCaseGroupResolvers = {
  country: (group) => groupKey(group, 'requestedCountry') as TreatyParty | null,
  organization: (group) => {
    const slug = groupKey(group, 'organizationSlug');
    return slug ? organizationRef(slug) : null;
  },
  mechanism: (group) => groupKey(group, 'transferMechanism') as TransferMechanism | null,
};
