import { seedingSuite } from '@bicentennial/testing';
import { SYNTHETIC_SAMPLE } from '../seed';
import * as borderTrade from '../server';

seedingSuite(borderTrade, {
  referenceTables: ['Source', 'Observation', 'PortOfEntry', 'SeizureTotal', 'ParcelInspection'],
  syntheticSample: {
    DrugSeizure: SYNTHETIC_SAMPLE.drugSeizures,
    SmugglingInterdiction: SYNTHETIC_SAMPLE.interdictions,
  },
});
