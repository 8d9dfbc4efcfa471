import type { RecordTypeCase } from '@bicentennial/testing';

/**
 * The finance record types as the shared suites write them (records.test.ts,
 * releasability.test.ts), and the inputs they are built from.
 */

export const designation = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  designatedOn: '2025-03-14',
  designatedBy: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
  authorities: ['EO_14059'],
  targetKind: 'MIXED',
  individuals: 2,
  entities: 1,
  organization: 'CJNG',
  sourceId: 'ofac-action-2025-05-01',
  ...overrides,
});

export const seizure = (recordId: string, overrides: Record<string, unknown> = {}) => ({
  recordId,
  seizedOn: '2025-03-14',
  country: 'US',
  seizingAuthority: 'Homeland Security Investigations (HSI)',
  organization: 'SINALOA',
  assetType: 'BANK_ACCOUNT',
  amountUsd: 250_000.5,
  cyberEnabled: false,
  sourceId: 'ofac-action-2025-05-01',
  ...overrides,
});

export const designations: RecordTypeCase = {
  type: 'SanctionsDesignation',
  record: 'recordSanctionsDesignation',
  inputType: 'SanctionsDesignationInput',
  import: {
    mutation: 'importSanctionsDesignations',
    invalid: { change: { organization: 'NO_SUCH_CARTEL' }, field: 'organization' },
  },
  table: 'SanctionsDesignation',
  keyField: 'recordId',
  // Names with a comma and quotes: list columns must reach the database element by element.
  input: (serial, variant, sourceId) =>
    designation(`SUITE-SD-${serial}`, {
      individuals: 1 + variant,
      namedTargets: ['Doe, John', 'The "Engineer"'],
      sourceId,
    }),
  where: (serial) => ({ recordId: `SUITE-SD-${serial}` }),
  varies: { field: 'individuals', column: 'individuals', value: (variant) => 1 + variant },
};

export const assetSeizures: RecordTypeCase = {
  type: 'AssetSeizure',
  record: 'recordAssetSeizure',
  inputType: 'AssetSeizureInput',
  import: { mutation: 'importAssetSeizures', invalid: { change: { amountUsd: -1 }, field: 'amountUsd' } },
  table: 'AssetSeizure',
  keyField: 'recordId',
  input: (serial, variant, sourceId) => seizure(`SUITE-AS-${serial}`, { amountUsd: 1000 + variant, sourceId }),
  where: (serial) => ({ recordId: `SUITE-AS-${serial}` }),
  varies: { field: 'amountUsd', column: 'amountUsd', value: (variant) => 1000 + variant },
};
