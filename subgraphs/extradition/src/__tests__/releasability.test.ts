import { releasabilitySuite } from '@bicentennial/testing';
import * as extradition from '../server';
import { extraditionCases } from './cases';

// The suite's cases are U.S. requests for CJNG members toward 3.4.1, APPROVED (so they may move on).
releasabilitySuite({
  name: 'extradition',
  module: extradition,
  domain: 'Extradition',
  objectiveId: '3.4.1',
  records: [
    {
      record: extraditionCases,
      list: 'extraditionCases',
      aggregate: 'extraditionCaseAggregates',
      byId: { field: 'extraditionCase', argument: 'recordId', type: 'ID!' },
      start: { status: 'APPROVED', approvedOn: '2024-06-01' },
      children: [
        { typename: 'CriminalOrganization', key: { slug: 'CJNG' }, field: 'extraditions' },
        { typename: 'JointObjective', key: { id: '3.4.1' }, field: 'extraditionCases' },
      ],
    },
  ],
  statusMoves: [
    {
      type: 'ExtraditionCase',
      mutation: 'updateExtraditionCaseStatus',
      statusType: 'ExtraditionStatus',
      statusField: 'status',
      statusColumn: 'caseStatus',
      to: { status: 'EXTRADITED', on: '2024-09-01' },
    },
  ],
  seeded: [
    {
      name: 'transfer actions',
      table: 'TransferAction',
      keySql: '"recordId"',
      query: '{ rows: transferActions(first: 100) { nodes { recordId } } }',
      keys: (data) => (data['rows'] as { nodes: { recordId: string }[] }).nodes.map((n) => n.recordId),
      authenticated: true,
    },
  ],
});
