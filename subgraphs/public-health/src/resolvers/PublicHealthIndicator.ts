import { indicatorEntityResolvers } from '@bicentennial/subgraph-kit';
import type { PublicHealthIndicatorResolvers } from '../generated/graphql';

export const PublicHealthIndicator: PublicHealthIndicatorResolvers = indicatorEntityResolvers();
