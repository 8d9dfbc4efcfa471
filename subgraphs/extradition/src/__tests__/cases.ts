import type { RecordTypeCase } from '@bicentennial/testing';

/**
 * The extradition record types as the shared suites write them (records.test.ts,
 * releasability.test.ts), and the inputs they are built from.
 */

/** A case requested by the United States, as an agency would submit it. */
export const extraditionCase = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  person: 'Test person (official submission)',
  requestingCountry: 'US',
  requestedCountry: 'MX',
  status: 'REQUESTED',
  requestedOn: '2024-03-01',
  transferMechanism: 'FORMAL_EXTRADITION',
  charges: ['DRUG_OFFENSES', 'CRIMINAL_ASSOCIATION'],
  destination: 'S.D. Tex.',
  organization: 'CJNG',
  sourceId: 'fgr-extradition-statistics-2023-12',
  ...overrides,
});

export const extraditionCases: RecordTypeCase = {
  type: 'ExtraditionCase',
  record: 'recordExtraditionCase',
  inputType: 'ExtraditionCaseInput',
  import: { mutation: 'importExtraditionCases', invalid: { change: { status: 'DENIED' }, field: 'deniedOn' } },
  table: 'ExtraditionCase',
  keyField: 'recordId',
  input: (serial, variant, sourceId) =>
    extraditionCase(`SUITE-EC-${serial}`, { destination: `Judicial district ${variant}`, sourceId }),
  where: (serial) => ({ recordId: `SUITE-EC-${serial}` }),
  varies: { field: 'destination', column: 'destination', value: (variant) => `Judicial district ${variant}` },
};
