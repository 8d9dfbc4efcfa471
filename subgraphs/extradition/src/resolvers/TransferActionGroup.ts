import { groupKey } from '@bicentennial/subgraph-kit';
import type { TransferActionGroupResolvers, TreatyParty } from '../generated/graphql';

export const TransferActionGroup: TransferActionGroupResolvers = {
  country: (group) => groupKey(group, 'sendingCountry') as TreatyParty | null,
  totalPersonsTransferred: (group) => group.sum['personsTransferred'] ?? 0,
  averagePersonsTransferred: (group) => group.average['personsTransferred'] ?? null,
};
