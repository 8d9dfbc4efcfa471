import { planLevelResolvers, targetResolvers } from '@bicentennial/subgraph-kit';
import type { Resolvers } from '../generated/graphql';
import { CriminalOrganization } from './CriminalOrganization';
import { FirearmSeizure } from './FirearmSeizure';
import { FirearmSeizureConnection } from './FirearmSeizureConnection';
import { FirearmSeizureGroup } from './FirearmSeizureGroup';
import { FirearmsIndicator } from './FirearmsIndicator';
import { FirearmTrace } from './FirearmTrace';
import { JointObjective } from './JointObjective';
import { Mutation } from './Mutation';
import { Observation } from './Observation';
import { PortOfEntry } from './PortOfEntry';
import { Query } from './Query';
import { Region } from './Region';
import { TraceRequestStatistic } from './TraceRequestStatistic';
import { TraffickingCase } from './TraffickingCase';
import { TraffickingCaseConnection } from './TraffickingCaseConnection';
import { TraffickingCaseGroup } from './TraffickingCaseGroup';

/** One file per GraphQL type this subgraph defines or extends, named after it. */
export const resolvers: Resolvers = {
  Target: targetResolvers,
  ...planLevelResolvers('firearmsSummary'),
  Query,
  Mutation,
  FirearmsIndicator,
  Observation,
  PortOfEntry,
  Region,
  JointObjective,
  CriminalOrganization,
  FirearmTrace,
  TraceRequestStatistic,
  FirearmSeizure,
  FirearmSeizureConnection,
  FirearmSeizureGroup,
  TraffickingCase,
  TraffickingCaseConnection,
  TraffickingCaseGroup,
};
