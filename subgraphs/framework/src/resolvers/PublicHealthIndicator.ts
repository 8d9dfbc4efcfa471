import type { PublicHealthIndicatorResolvers } from '../generated/graphql';
import { registryFields } from './Indicator';

export const PublicHealthIndicator: PublicHealthIndicatorResolvers = {
  ...registryFields,
  __resolveReference: ({ id }, { loaders }) => loaders.indicator.load(id),
};
