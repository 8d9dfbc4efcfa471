import { groupKey, regionRef } from '@bicentennial/subgraph-kit';
import type { AssetSeizureGroupResolvers } from '../generated/graphql';

export const AssetSeizureGroup: AssetSeizureGroupResolvers = {
  country: (group) => {
    const country = groupKey(group, 'countryCode');
    return country ? regionRef(country) : null;
  },
  organization: (group, _args, { loaders }) => {
    const slug = groupKey(group, 'organizationSlug');
    return slug ? loaders.organization.load(slug) : null;
  },
  totalAmountUsd: (group) => group.sum['amountUsd'] ?? 0,
  averageAmountUsd: (group) => group.average['amountUsd'] ?? null,
};
