import type { FirearmsIndicatorResolvers } from '../generated/graphql';
import { registryFields } from './Indicator';

export const FirearmsIndicator: FirearmsIndicatorResolvers = {
  ...registryFields,
  __resolveReference: ({ id }, { loaders }) => loaders.indicator.load(id),
};
