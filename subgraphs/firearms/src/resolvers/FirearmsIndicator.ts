import { indicatorEntityResolvers } from '@bicentennial/schema';
import type { FirearmsIndicatorResolvers } from '../generated/graphql';

export const FirearmsIndicator: FirearmsIndicatorResolvers = indicatorEntityResolvers();
