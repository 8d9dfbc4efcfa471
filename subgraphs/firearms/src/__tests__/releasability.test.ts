import { releasabilitySuite, rowKeys } from '@bicentennial/testing';
import * as firearms from '../server';
import { firearmSeizures, traffickingCases } from './cases';

// The suite's seizures are rifles seized by CBP at San Ysidro (2504, US-CA) and attributed to CJNG,
// toward 2.2.1; its trafficking cases are charged U.S. cases against SINALOA, toward 2.2.3.
releasabilitySuite({
  name: 'firearms',
  module: firearms,
  domain: 'Firearms',
  objectiveId: '2.2.1',
  records: [
    {
      record: firearmSeizures,
      list: 'firearmSeizures',
      aggregate: 'firearmSeizureAggregates',
      children: [
        { typename: 'PortOfEntry', key: { code: '2504' }, field: 'firearmSeizures' },
        { typename: 'Region', key: { code: 'US-CA' }, field: 'firearmSeizures' },
        { typename: 'CriminalOrganization', key: { slug: 'CJNG' }, field: 'firearmSeizures' },
        { typename: 'JointObjective', key: { id: '2.2.1' }, field: 'firearmSeizures' },
      ],
    },
    {
      record: traffickingCases,
      list: 'traffickingCases',
      aggregate: 'traffickingCaseAggregates',
      children: [
        { typename: 'CriminalOrganization', key: { slug: 'SINALOA' }, field: 'firearmsTraffickingCases' },
        { typename: 'JointObjective', key: { id: '2.2.3' }, field: 'traffickingCases' },
      ],
    },
  ],
  statusMoves: [
    {
      type: 'TraffickingCase',
      mutation: 'updateTraffickingCaseStatus',
      statusType: 'CaseStatus',
      statusField: 'caseStatus',
      statusColumn: 'caseStatus',
      // The suite's cases are CHARGED, which may end CONVICTED.
      to: { status: 'CONVICTED', on: '2024-12-01' },
    },
  ],
  seeded: [
    { name: 'firearm traces', table: 'FirearmTrace', query: '{ rows: firearmTraces { id } }', keys: rowKeys() },
    {
      name: 'trace request statistics',
      table: 'TraceRequestStatistic',
      query: '{ rows: traceRequestStatistics { id } }',
      keys: rowKeys(),
    },
  ],
});
