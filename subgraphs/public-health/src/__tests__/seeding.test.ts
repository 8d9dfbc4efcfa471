import { seedingSuite } from '@bicentennial/testing';
import { SYNTHETIC_SAMPLE } from '../seed';
import * as publicHealth from '../server';

seedingSuite(publicHealth, {
  // The public programmes are published records: OFFICIAL rows in the same table as the synthetic ones.
  referenceTables: ['Source', 'Observation', 'OverdoseDeathStatistic', 'HomicideStatistic', 'Programme'],
  syntheticSample: { Programme: SYNTHETIC_SAMPLE.programmes },
});
