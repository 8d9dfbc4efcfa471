import { planLevelResolvers, targetResolvers } from '@bicentennial/subgraph-kit';
import type { Resolvers } from '../generated/graphql';
import { BorderTradeIndicator } from './BorderTradeIndicator';
import { DrugSeizure } from './DrugSeizure';
import { DrugSeizureConnection } from './DrugSeizureConnection';
import { DrugSeizureGroup } from './DrugSeizureGroup';
import { JointObjective } from './JointObjective';
import { Mutation } from './Mutation';
import { Observation } from './Observation';
import { ParcelInspection } from './ParcelInspection';
import { PortOfEntry } from './PortOfEntry';
import { Query } from './Query';
import { Region } from './Region';
import { SeizureTotal } from './SeizureTotal';
import { SmugglingInterdiction } from './SmugglingInterdiction';
import { SmugglingInterdictionConnection } from './SmugglingInterdictionConnection';
import { SmugglingInterdictionGroup } from './SmugglingInterdictionGroup';

/** One file per GraphQL type this subgraph defines or extends, named after it. */
export const resolvers: Resolvers = {
  Target: targetResolvers,
  ...planLevelResolvers('borderTradeSummary'),
  Query,
  Mutation,
  BorderTradeIndicator,
  Observation,
  PortOfEntry,
  Region,
  JointObjective,
  DrugSeizure,
  DrugSeizureConnection,
  DrugSeizureGroup,
  SmugglingInterdiction,
  SmugglingInterdictionConnection,
  SmugglingInterdictionGroup,
  SeizureTotal,
  ParcelInspection,
};
