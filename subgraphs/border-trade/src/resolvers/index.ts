import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';
import { Mutation } from './mutation';
import { JointObjective, PortOfEntry, Region } from './port';
import { Query } from './query';
import {
  DrugSeizure,
  DrugSeizureConnection,
  ParcelInspection,
  SeizureTotal,
  SmugglingInterdiction,
  SmugglingInterdictionConnection,
} from './records';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  BorderTradeIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
  PortOfEntry,
  Region,
  JointObjective,
  DrugSeizure,
  DrugSeizureConnection,
  SmugglingInterdiction,
  SmugglingInterdictionConnection,
  SeizureTotal,
  ParcelInspection,
};
