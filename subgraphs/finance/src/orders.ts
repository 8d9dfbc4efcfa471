import type { ListOrder } from '@bicentennial/subgraph-kit';
import type { AssetSeizureOrderField, SanctionsDesignationOrderField } from './generated/graphql';
import type { AssetSeizure, SanctionsDesignation } from './generated/prisma/client';

/*
 * The orders of this subgraph's lists: each `…OrderField` value of the SDL with its column (a
 * NOT NULL one, with an index on it and id: prisma/schema.prisma). The default is the first.
 */

/** `SanctionsDesignationOrder`: DESIGNATED_ON, RECORDED_AT; newest first on DESIGNATED_ON by default. */
export const DESIGNATION_ORDER: ListOrder<
  SanctionsDesignationOrderField,
  Extract<keyof SanctionsDesignation, string>
> = {
  fields: {
    DESIGNATED_ON: { column: 'designatedOn', type: 'date' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'DESIGNATED_ON',
};

/** `AssetSeizureOrder`: SEIZED_ON, AMOUNT_USD, RECORDED_AT; newest first on SEIZED_ON by default. */
export const ASSET_SEIZURE_ORDER: ListOrder<AssetSeizureOrderField, Extract<keyof AssetSeizure, string>> = {
  fields: {
    SEIZED_ON: { column: 'seizedOn', type: 'date' },
    AMOUNT_USD: { column: 'amountUsd', type: 'float8' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'SEIZED_ON',
};
