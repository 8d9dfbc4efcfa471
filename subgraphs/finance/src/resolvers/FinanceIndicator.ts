import { indicatorEntityResolvers } from '@bicentennial/subgraph-kit';
import type { FinanceIndicatorResolvers } from '../generated/graphql';

export const FinanceIndicator: FinanceIndicatorResolvers = indicatorEntityResolvers();
