import { indicatorEntityResolvers } from '@bicentennial/schema';
import type { BorderTradeIndicatorResolvers } from '../generated/graphql';

export const BorderTradeIndicator: BorderTradeIndicatorResolvers = indicatorEntityResolvers();
