import { planLevelResolvers, targetResolvers } from '@bicentennial/subgraph-kit';
import type { Resolvers } from '../generated/graphql';
import { HomicideStatistic } from './HomicideStatistic';
import { HomicideStatisticConnection } from './HomicideStatisticConnection';
import { HomicideStatisticGroup } from './HomicideStatisticGroup';
import { JointObjective } from './JointObjective';
import { Mutation } from './Mutation';
import { Observation } from './Observation';
import { OverdoseDeathStatistic } from './OverdoseDeathStatistic';
import { Programme } from './Programme';
import { ProgrammeConnection } from './ProgrammeConnection';
import { ProgrammeGroup } from './ProgrammeGroup';
import { PublicHealthIndicator } from './PublicHealthIndicator';
import { Query } from './Query';
import { Region } from './Region';

/** One file per GraphQL type this subgraph defines or extends, named after it. */
export const resolvers: Resolvers = {
  Target: targetResolvers,
  ...planLevelResolvers('publicHealthSummary'),
  Query,
  Mutation,
  PublicHealthIndicator,
  Observation,
  Region,
  JointObjective,
  OverdoseDeathStatistic,
  HomicideStatistic,
  HomicideStatisticConnection,
  HomicideStatisticGroup,
  Programme,
  ProgrammeConnection,
  ProgrammeGroup,
};
