import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';
import { JointObjective, Region } from './entities';
import { Mutation } from './mutation';
import { Query } from './query';
import {
  HomicideStatistic,
  HomicideStatisticConnection,
  OverdoseDeathStatistic,
  Programme,
  ProgrammeConnection,
} from './records';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  PublicHealthIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
  Region,
  JointObjective,
  OverdoseDeathStatistic,
  HomicideStatistic,
  HomicideStatisticConnection,
  Programme,
  ProgrammeConnection,
};
