import { indicatorEntityResolvers } from '@bicentennial/schema';
import type { FinanceIndicatorResolvers } from '../generated/graphql';

export const FinanceIndicator: FinanceIndicatorResolvers = indicatorEntityResolvers();
