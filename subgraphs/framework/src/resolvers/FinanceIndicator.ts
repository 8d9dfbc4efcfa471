import type { FinanceIndicatorResolvers } from '../generated/graphql';
import { registryFields } from './Indicator';

export const FinanceIndicator: FinanceIndicatorResolvers = {
  ...registryFields,
  __resolveReference: ({ id }, { loaders }) => loaders.indicator.load(id),
};
