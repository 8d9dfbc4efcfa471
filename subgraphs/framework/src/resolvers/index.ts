import type { Resolvers } from '../generated/graphql';
import { BorderTradeIndicator } from './BorderTradeIndicator';
import { CooperationArea } from './CooperationArea';
import { ExtraditionIndicator } from './ExtraditionIndicator';
import { FinanceIndicator } from './FinanceIndicator';
import { FirearmsIndicator } from './FirearmsIndicator';
import { Framework } from './Framework';
import { Goal } from './Goal';
import { Indicator } from './Indicator';
import { JointObjective } from './JointObjective';
import { PublicHealthIndicator } from './PublicHealthIndicator';
import { Query } from './Query';
import { Region } from './Region';

/**
 * One file per GraphQL type this subgraph defines or extends, named after it (`Translation.ts`
 * holds only its parent type: its fields are read as they are).
 */
export const resolvers: Resolvers = {
  Query,
  Framework,
  Goal,
  CooperationArea,
  JointObjective,
  Region,
  Indicator,
  PublicHealthIndicator,
  BorderTradeIndicator,
  FirearmsIndicator,
  FinanceIndicator,
  ExtraditionIndicator,
};
