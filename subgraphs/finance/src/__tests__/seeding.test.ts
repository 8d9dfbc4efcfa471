import { seedingSuite } from '@bicentennial/testing';
import { SYNTHETIC_SAMPLE } from '../seed';
import * as finance from '../server';

seedingSuite(finance, {
  referenceTables: [
    'Source',
    'Observation',
    'CriminalOrganization',
    'SanctionsDesignation',
    'FinancialAdvisory',
    'SuspiciousActivityStatistic',
  ],
  // The sample has no designations (SYNTHETIC_SAMPLE.designations is 0): only asset seizures.
  syntheticSample: { AssetSeizure: SYNTHETIC_SAMPLE.assetSeizures },
});
