import { indicatorEntityResolvers } from '@bicentennial/schema';
import type { ExtraditionIndicatorResolvers } from '../generated/graphql';

export const ExtraditionIndicator: ExtraditionIndicatorResolvers = indicatorEntityResolvers();
