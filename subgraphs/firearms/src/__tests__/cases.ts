import type { RecordTypeCase } from '@bicentennial/testing';

/**
 * The firearms record types as the shared suites write them (records.test.ts,
 * releasability.test.ts), and the inputs they are built from.
 */

/** The source the firearms test records name (registered by records.test.ts). */
export const SOURCE = 'cbp-outbound-firearms-test-2025';

export const seizure = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  seizedOn: '2025-03-14',
  country: 'US',
  state: 'US-CA',
  portCode: '2504',
  firearmType: 'RIFLE',
  firearms: 3,
  ammunitionRounds: 450,
  seizingAgency: 'CBP',
  organization: 'CJNG',
  sourceId: SOURCE,
  ...overrides,
});

export const trafficking = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  country: 'US',
  office: "U.S. Attorney's Office, District of Arizona",
  openedOn: '2024-02-01',
  chargedOn: '2024-06-15',
  caseStatus: 'CHARGED',
  defendants: 4,
  firearmsInvolved: 120,
  highLevel: true,
  organization: 'SINALOA',
  sourceId: SOURCE,
  ...overrides,
});

export const firearmSeizures: RecordTypeCase = {
  type: 'FirearmSeizure',
  record: 'recordFirearmSeizure',
  inputType: 'FirearmSeizureInput',
  import: { mutation: 'importFirearmSeizures', invalid: { change: { portCode: '0000' }, field: 'portCode' } },
  table: 'FirearmSeizure',
  keyField: 'recordId',
  input: (serial, variant, sourceId) => seizure(`SUITE-FS-${serial}`, { firearms: 1 + variant, sourceId }),
  where: (serial) => ({ recordId: `SUITE-FS-${serial}` }),
  varies: { field: 'firearms', column: 'firearms', value: (variant) => 1 + variant },
};

export const traffickingCases: RecordTypeCase = {
  type: 'TraffickingCase',
  record: 'recordTraffickingCase',
  inputType: 'TraffickingCaseInput',
  import: { mutation: 'importTraffickingCases', invalid: { change: { defendants: 0 }, field: 'defendants' } },
  table: 'TraffickingCase',
  keyField: 'recordId',
  input: (serial, variant, sourceId) => trafficking(`SUITE-TC-${serial}`, { defendants: 1 + variant, sourceId }),
  where: (serial) => ({ recordId: `SUITE-TC-${serial}` }),
  varies: { field: 'defendants', column: 'defendants', value: (variant) => 1 + variant },
};
