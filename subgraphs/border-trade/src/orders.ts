import type { ListOrder } from '@bicentennial/subgraph-kit';
import type { DrugSeizureOrderField, SmugglingInterdictionOrderField } from './generated/graphql';
import type { DrugSeizure, SmugglingInterdiction } from './generated/prisma/client';

/*
 * The orders of this subgraph's lists: each `…OrderField` value of the SDL with its column (a
 * NOT NULL one, with an index on it and id: prisma/schema.prisma). The default is the first.
 */

/** `DrugSeizureOrder`: SEIZED_ON, RECORDED_AT; newest first on SEIZED_ON by default. */
export const DRUG_SEIZURE_ORDER: ListOrder<DrugSeizureOrderField, Extract<keyof DrugSeizure, string>> = {
  fields: {
    SEIZED_ON: { column: 'seizedOn', type: 'date' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'SEIZED_ON',
};

/** `SmugglingInterdictionOrder`: OCCURRED_ON, PERSONS_RESCUED, SUSPECTS_ARRESTED, RECORDED_AT; newest first on OCCURRED_ON by default. */
export const INTERDICTION_ORDER: ListOrder<
  SmugglingInterdictionOrderField,
  Extract<keyof SmugglingInterdiction, string>
> = {
  fields: {
    OCCURRED_ON: { column: 'occurredOn', type: 'date' },
    PERSONS_RESCUED: { column: 'personsRescued', type: 'int4' },
    SUSPECTS_ARRESTED: { column: 'suspectsArrested', type: 'int4' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'OCCURRED_ON',
};
