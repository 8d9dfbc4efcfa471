import type { RecordTypeCase } from '@bicentennial/testing';

/**
 * The public-health record types as the shared suites write them (records.test.ts,
 * releasability.test.ts), and the inputs they are built from.
 */

export const TEST_SOURCE = 'sesnsp-victimas-fuero-comun-2025-06';

export const homicide = (overrides: Record<string, unknown> = {}) => ({
  period: '2025-01',
  periodKind: 'MONTH',
  region: 'MX-GUA',
  measure: 'SESNSP_VICTIMS',
  count: 250,
  status: 'PROVISIONAL',
  sourceId: TEST_SOURCE,
  ...overrides,
});

export const programme = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  name: 'Centro comunitario de prevención de adicciones',
  kind: 'PREVENTION',
  country: 'MX',
  region: 'MX-CHH',
  startedOn: '2024-03-01',
  fundingUsd: 125000,
  peopleReached: 800,
  sourceId: TEST_SOURCE,
  ...overrides,
});

export const month = (serial: number) =>
  `${1990 + Math.floor(serial / 12)}-${String((serial % 12) + 1).padStart(2, '0')}`;

export const homicideStatistics: RecordTypeCase = {
  type: 'HomicideStatistic',
  record: 'recordHomicideStatistic',
  inputType: 'HomicideStatisticInput',
  import: { mutation: 'importHomicideStatistics', invalid: { change: { region: 'MX-XXX' }, field: 'region' } },
  table: 'HomicideStatistic',
  keyField: 'period',
  input: (serial, variant, sourceId) =>
    homicide({ period: month(serial), region: 'MX-ZAC', count: 100 + variant, status: 'FINAL', sourceId }),
  where: (serial, sourceId) => ({
    period: month(serial),
    regionCode: 'MX-ZAC',
    measure: 'SESNSP_VICTIMS',
    sourceId,
    status: 'FINAL',
  }),
  varies: { field: 'count', column: 'count', value: (variant) => 100 + variant },
};

export const programmes: RecordTypeCase = {
  type: 'Programme',
  record: 'recordProgramme',
  inputType: 'ProgrammeInput',
  import: { mutation: 'importProgrammes', invalid: { change: { region: 'MX-XX' }, field: 'region' } },
  table: 'Programme',
  keyField: 'recordId',
  input: (serial, variant, sourceId) => programme(`SUITE-PG-${serial}`, { peopleReached: 100 + variant, sourceId }),
  where: (serial) => ({ recordId: `SUITE-PG-${serial}` }),
  varies: { field: 'peopleReached', column: 'peopleReached', value: (variant) => 100 + variant },
};
