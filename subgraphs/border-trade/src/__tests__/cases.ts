import type { RecordTypeCase } from '@bicentennial/testing';

/**
 * The border-trade record types as the shared suites write them (records.test.ts,
 * releasability.test.ts), and the inputs they are built from.
 */

export const seizure = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  location: 'AT_PORT',
  portCode: '2504',
  state: 'US-CA',
  seizedOn: '2025-03-14',
  drug: 'FENTANYL',
  quantity: 12.5,
  unit: 'POUNDS',
  mode: 'PASSENGER_VEHICLE',
  sourceId: 'cbp-drug-seizures-report-2023-01',
  ...overrides,
});

export const drugSeizures: RecordTypeCase = {
  type: 'DrugSeizure',
  record: 'recordDrugSeizure',
  inputType: 'DrugSeizureInput',
  import: { mutation: 'importDrugSeizures', invalid: { change: { portCode: '0000' }, field: 'portCode' } },
  table: 'DrugSeizure',
  keyField: 'recordId',
  input: (serial, variant, sourceId) => seizure(`SUITE-DS-${serial}`, { quantity: 1 + variant, sourceId }),
  where: (serial) => ({ recordId: `SUITE-DS-${serial}` }),
  varies: { field: 'quantity', column: 'quantity', value: (variant) => 1 + variant },
};

export const interdictions: RecordTypeCase = {
  type: 'SmugglingInterdiction',
  record: 'recordSmugglingInterdiction',
  inputType: 'SmugglingInterdictionInput',
  import: { mutation: 'importSmugglingInterdictions', invalid: { change: { state: 'US-NY' }, field: 'state' } },
  table: 'SmugglingInterdiction',
  keyField: 'recordId',
  input: (serial, variant, sourceId) => ({
    recordId: `SUITE-SI-${serial}`,
    kind: 'MIGRANT_SMUGGLING',
    occurredOn: '2025-02-01',
    state: 'US-TX',
    personsRescued: 10 + variant,
    suspectsArrested: 2,
    sourceId,
  }),
  where: (serial) => ({ recordId: `SUITE-SI-${serial}` }),
  varies: { field: 'personsRescued', column: 'personsRescued', value: (variant) => 10 + variant },
};
