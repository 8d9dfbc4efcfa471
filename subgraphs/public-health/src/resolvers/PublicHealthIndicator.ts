import { indicatorEntityResolvers } from '@bicentennial/schema';
import type { PublicHealthIndicatorResolvers } from '../generated/graphql';

export const PublicHealthIndicator: PublicHealthIndicatorResolvers = indicatorEntityResolvers();
