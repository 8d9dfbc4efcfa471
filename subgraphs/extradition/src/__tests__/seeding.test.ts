import { seedingSuite } from '@bicentennial/testing';
import { SYNTHETIC_SAMPLE } from '../seed';
import * as extradition from '../server';

seedingSuite(extradition, {
  // The notable cases are published records: OFFICIAL rows in the same table as the synthetic ones.
  referenceTables: ['Source', 'Observation', 'TransferAction', 'ExtraditionCase'],
  syntheticSample: { ExtraditionCase: SYNTHETIC_SAMPLE.cases },
});
