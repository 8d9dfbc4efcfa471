import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';
import { CriminalOrganization, JointObjective } from './entities';
import { Mutation } from './mutation';
import { Query } from './query';
import { ExtraditionCase, ExtraditionCaseConnection, TransferAction, TransferActionConnection } from './records';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  ExtraditionIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
  JointObjective,
  CriminalOrganization,
  ExtraditionCase,
  ExtraditionCaseConnection,
  TransferAction,
  TransferActionConnection,
};
