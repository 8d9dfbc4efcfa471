import { planLevelResolvers, targetResolvers } from '@bicentennial/subgraph-kit';
import type { Resolvers } from '../generated/graphql';
import { CriminalOrganization } from './CriminalOrganization';
import { ExtraditionCase } from './ExtraditionCase';
import { ExtraditionCaseConnection } from './ExtraditionCaseConnection';
import { ExtraditionCaseGroup } from './ExtraditionCaseGroup';
import { ExtraditionIndicator } from './ExtraditionIndicator';
import { JointObjective } from './JointObjective';
import { Mutation } from './Mutation';
import { Observation } from './Observation';
import { Query } from './Query';
import { TransferAction } from './TransferAction';
import { TransferActionConnection } from './TransferActionConnection';
import { TransferActionGroup } from './TransferActionGroup';

/** One file per GraphQL type this subgraph defines or extends, named after it. */
export const resolvers: Resolvers = {
  Target: targetResolvers,
  ...planLevelResolvers('extraditionSummary'),
  Query,
  Mutation,
  ExtraditionIndicator,
  Observation,
  JointObjective,
  CriminalOrganization,
  ExtraditionCase,
  ExtraditionCaseConnection,
  ExtraditionCaseGroup,
  TransferAction,
  TransferActionConnection,
  TransferActionGroup,
};
