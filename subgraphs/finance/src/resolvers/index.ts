import { indicatorEntityResolvers, observationResolvers } from '@bicentennial/schema';
import type { Resolvers } from '../generated/graphql';
import { Mutation } from './mutation';
import { CriminalOrganization, JointObjective, Region } from './organization';
import { Query } from './query';
import {
  AssetSeizure,
  AssetSeizureConnection,
  FinancialAdvisory,
  NamedInstitution,
  SanctionsDesignation,
  SanctionsDesignationConnection,
  SuspiciousActivityStatistic,
} from './records';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  FinanceIndicator: indicatorEntityResolvers(),
  Observation: observationResolvers,
  CriminalOrganization,
  Region,
  JointObjective,
  SanctionsDesignation,
  SanctionsDesignationConnection,
  FinancialAdvisory,
  NamedInstitution,
  SuspiciousActivityStatistic,
  AssetSeizure,
  AssetSeizureConnection,
};
