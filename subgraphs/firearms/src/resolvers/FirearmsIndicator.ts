import { indicatorEntityResolvers } from '@bicentennial/subgraph-kit';
import type { FirearmsIndicatorResolvers } from '../generated/graphql';

export const FirearmsIndicator: FirearmsIndicatorResolvers = indicatorEntityResolvers();
