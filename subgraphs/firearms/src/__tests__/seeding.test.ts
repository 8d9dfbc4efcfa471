import { seedingSuite } from '@bicentennial/testing';
import { SYNTHETIC_SAMPLE } from '../seed';
import * as firearms from '../server';

seedingSuite(firearms, {
  referenceTables: ['Source', 'Observation', 'FirearmTrace', 'TraceRequestStatistic'],
  syntheticSample: {
    FirearmSeizure: SYNTHETIC_SAMPLE.firearmSeizures,
    TraffickingCase: SYNTHETIC_SAMPLE.traffickingCases,
  },
});
