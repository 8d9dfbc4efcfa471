import { releasabilitySuite, rowKeys } from '@bicentennial/testing';
import * as borderTrade from '../server';
import { drugSeizures, interdictions } from './cases';

type SeizureTotalRow = { fiscalYear: number; drug: string; scope: string; provenance: { source: { id: string } } };

// The suite's drug seizures are fentanyl seized at San Ysidro (2504, US-CA) toward 2.3.3; its
// interdictions are migrant smuggling in Texas toward 2.4.1.
releasabilitySuite({
  name: 'border-trade',
  module: borderTrade,
  domain: 'BorderTrade',
  objectiveId: '2.3.3',
  records: [
    {
      record: drugSeizures,
      list: 'drugSeizures',
      aggregate: 'drugSeizureAggregates',
      children: [
        { typename: 'PortOfEntry', key: { code: '2504' }, field: 'drugSeizures' },
        { typename: 'Region', key: { code: 'US-CA' }, field: 'drugSeizures' },
        { typename: 'JointObjective', key: { id: '2.3.3' }, field: 'drugSeizures' },
      ],
    },
    {
      record: interdictions,
      list: 'smugglingInterdictions',
      aggregate: 'smugglingInterdictionAggregates',
      children: [{ typename: 'JointObjective', key: { id: '2.4.1' }, field: 'smugglingInterdictions' }],
    },
  ],
  seeded: [
    {
      name: 'ports of entry',
      table: 'PortOfEntry',
      keySql: 'code',
      query: '{ rows: portsOfEntry { code } }',
      keys: rowKeys('code'),
    },
    {
      name: 'seizure totals',
      table: 'SeizureTotal',
      keySql: `concat_ws('|', "fiscalYear"::text, drug::text, scope::text, "sourceId")`,
      query: '{ rows: seizureTotals { fiscalYear drug scope provenance { source { id } } } }',
      keys: (data) =>
        (data['rows'] as SeizureTotalRow[]).map((t) =>
          [t.fiscalYear, t.drug, t.scope, t.provenance.source.id].join('|'),
        ),
    },
  ],
});
