import type { Resolvers } from '../generated/graphql';
import { CooperationArea, Framework, Goal, JointObjective } from './catalogue';
import { Indicator, indicatorTypes } from './indicator';
import { Query } from './query';
import { Region } from './region';

export const resolvers: Resolvers = {
  Query,
  Framework,
  Goal,
  CooperationArea,
  JointObjective,
  Region,
  Indicator,
  ...indicatorTypes,
};
