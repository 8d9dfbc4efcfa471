import { planLevelResolvers, targetResolvers } from '@bicentennial/subgraph-kit';
import type { Resolvers } from '../generated/graphql';
import { AssetSeizure } from './AssetSeizure';
import { AssetSeizureConnection } from './AssetSeizureConnection';
import { AssetSeizureGroup } from './AssetSeizureGroup';
import { CriminalOrganization } from './CriminalOrganization';
import { FinanceIndicator } from './FinanceIndicator';
import { FinancialAdvisory } from './FinancialAdvisory';
import { JointObjective } from './JointObjective';
import { Mutation } from './Mutation';
import { NamedInstitution } from './NamedInstitution';
import { Observation } from './Observation';
import { Query } from './Query';
import { Region } from './Region';
import { SanctionsDesignation } from './SanctionsDesignation';
import { SanctionsDesignationConnection } from './SanctionsDesignationConnection';
import { SanctionsDesignationGroup } from './SanctionsDesignationGroup';
import { SuspiciousActivityStatistic } from './SuspiciousActivityStatistic';

/** One file per GraphQL type this subgraph defines or extends, named after it. */
export const resolvers: Resolvers = {
  Target: targetResolvers,
  ...planLevelResolvers('financeSummary'),
  Query,
  Mutation,
  FinanceIndicator,
  Observation,
  CriminalOrganization,
  Region,
  JointObjective,
  SanctionsDesignation,
  SanctionsDesignationConnection,
  SanctionsDesignationGroup,
  FinancialAdvisory,
  NamedInstitution,
  SuspiciousActivityStatistic,
  AssetSeizure,
  AssetSeizureConnection,
  AssetSeizureGroup,
};
