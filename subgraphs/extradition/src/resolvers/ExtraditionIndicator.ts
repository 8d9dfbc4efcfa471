import { indicatorEntityResolvers } from '@bicentennial/subgraph-kit';
import type { ExtraditionIndicatorResolvers } from '../generated/graphql';

export const ExtraditionIndicator: ExtraditionIndicatorResolvers = indicatorEntityResolvers();
