import { observationResolvers } from '@bicentennial/schema';
import type { ObservationResolvers } from '../generated/graphql';

export const Observation: ObservationResolvers = observationResolvers;
