import type { ExtraditionIndicatorResolvers } from '../generated/graphql';
import { registryFields } from './Indicator';

export const ExtraditionIndicator: ExtraditionIndicatorResolvers = {
  ...registryFields,
  __resolveReference: ({ id }, { loaders }) => loaders.indicator.load(id),
};
