import type { BorderTradeIndicatorResolvers } from '../generated/graphql';
import { registryFields } from './Indicator';

export const BorderTradeIndicator: BorderTradeIndicatorResolvers = {
  ...registryFields,
  __resolveReference: ({ id }, { loaders }) => loaders.indicator.load(id),
};
