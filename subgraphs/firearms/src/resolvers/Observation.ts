import { observationResolvers } from '@bicentennial/subgraph-kit';
import type { ObservationResolvers } from '../generated/graphql';

export const Observation: ObservationResolvers = observationResolvers;
