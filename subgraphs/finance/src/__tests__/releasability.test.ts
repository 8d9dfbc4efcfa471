import { releasabilitySuite, rowKeys } from '@bicentennial/testing';
import * as finance from '../server';
import { assetSeizures, designations } from './cases';

// The suite's designations are OFAC designations of CJNG toward 3.1.1; its asset seizures are
// U.S. seizures of Sinaloa Cartel bank accounts toward 3.1.4.
releasabilitySuite({
  name: 'finance',
  module: finance,
  domain: 'Finance',
  objectiveId: '3.1.1',
  records: [
    {
      record: designations,
      list: 'sanctionsDesignations',
      aggregate: 'sanctionsDesignationAggregates',
      children: [
        { typename: 'CriminalOrganization', key: { slug: 'CJNG' }, field: 'designations' },
        { typename: 'JointObjective', key: { id: '3.1.1' }, field: 'sanctionsDesignations' },
      ],
    },
    {
      record: assetSeizures,
      list: 'assetSeizures',
      aggregate: 'assetSeizureAggregates',
      children: [
        { typename: 'CriminalOrganization', key: { slug: 'SINALOA' }, field: 'assetSeizures' },
        { typename: 'Region', key: { code: 'US' }, field: 'assetSeizures' },
        { typename: 'JointObjective', key: { id: '3.1.4' }, field: 'assetSeizures' },
      ],
    },
  ],
  seeded: [
    {
      name: 'criminal organizations',
      table: 'CriminalOrganization',
      keySql: 'slug',
      query: '{ rows: criminalOrganizations { slug } }',
      keys: rowKeys('slug'),
    },
    {
      name: 'financial advisories',
      table: 'FinancialAdvisory',
      query: '{ rows: financialAdvisories { id } }',
      keys: rowKeys(),
    },
  ],
});
