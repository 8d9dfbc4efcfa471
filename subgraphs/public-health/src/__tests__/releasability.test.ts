import { releasabilitySuite, rowKeys } from '@bicentennial/testing';
import * as publicHealth from '../server';
import { homicideStatistics, programmes } from './cases';

// The suite's homicide statistics are Zacatecas figures toward 1.3.1 (official statistics, readable
// by anyone when released to both); its programmes are prevention programmes in Chihuahua (1.1.1).
releasabilitySuite({
  name: 'public-health',
  module: publicHealth,
  domain: 'PublicHealth',
  objectiveId: '1.1.1',
  records: [
    {
      record: homicideStatistics,
      list: 'homicideStatistics',
      aggregate: 'homicideStatisticAggregates',
      public: true,
      children: [
        { typename: 'Region', key: { code: 'MX-ZAC' }, field: 'homicides' },
        { typename: 'JointObjective', key: { id: '1.3.1' }, field: 'homicideStatistics' },
      ],
    },
    {
      record: programmes,
      list: 'programmes',
      aggregate: 'programmeAggregates',
      byId: { field: 'programme', argument: 'recordId', type: 'String!' },
      children: [
        { typename: 'Region', key: { code: 'MX-CHH' }, field: 'programmes' },
        { typename: 'Region', key: { code: 'MX' }, field: 'programmes' },
        { typename: 'JointObjective', key: { id: '1.1.1' }, field: 'programmes' },
      ],
    },
  ],
  seeded: [
    {
      name: 'overdose death statistics',
      table: 'OverdoseDeathStatistic',
      query: '{ rows: overdoseDeaths { id } }',
      keys: rowKeys(),
    },
  ],
});
