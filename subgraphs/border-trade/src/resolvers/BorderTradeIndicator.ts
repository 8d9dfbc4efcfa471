import { indicatorEntityResolvers } from '@bicentennial/subgraph-kit';
import type { BorderTradeIndicatorResolvers } from '../generated/graphql';

export const BorderTradeIndicator: BorderTradeIndicatorResolvers = indicatorEntityResolvers();
