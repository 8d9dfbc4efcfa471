import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';
import { CriminalOrganization, JointObjective, PortOfEntry, Region } from './entities';
import { Mutation } from './mutation';
import { Query } from './query';
import {
  FirearmSeizure,
  FirearmSeizureConnection,
  FirearmTrace,
  TraceRequestStatistic,
  TraffickingCase,
  TraffickingCaseConnection,
} from './records';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  FirearmsIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
  PortOfEntry,
  Region,
  JointObjective,
  CriminalOrganization,
  FirearmTrace,
  TraceRequestStatistic,
  FirearmSeizure,
  FirearmSeizureConnection,
  TraffickingCase,
  TraffickingCaseConnection,
};
