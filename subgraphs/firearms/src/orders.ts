import type { ListOrder } from '@bicentennial/subgraph-kit';
import type { FirearmSeizureOrderField, TraffickingCaseOrderField } from './generated/graphql';
import type { FirearmSeizure, TraffickingCase } from './generated/prisma/client';

/*
 * The orders of this subgraph's lists: each `…OrderField` value of the SDL with its column (a
 * NOT NULL one, with an index on it and id: prisma/schema.prisma). The default is the first.
 */

/** `FirearmSeizureOrder`: SEIZED_ON, FIREARMS, AMMUNITION_ROUNDS, RECORDED_AT; newest first on SEIZED_ON by default. */
export const SEIZURE_ORDER: ListOrder<FirearmSeizureOrderField, Extract<keyof FirearmSeizure, string>> = {
  fields: {
    SEIZED_ON: { column: 'seizedOn', type: 'date' },
    FIREARMS: { column: 'firearms', type: 'int4' },
    AMMUNITION_ROUNDS: { column: 'ammunitionRounds', type: 'int4' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'SEIZED_ON',
};

/** `TraffickingCaseOrder`: OPENED_ON, DEFENDANTS, FIREARMS_INVOLVED, RECORDED_AT; newest first on OPENED_ON by default. */
export const CASE_ORDER: ListOrder<TraffickingCaseOrderField, Extract<keyof TraffickingCase, string>> = {
  fields: {
    OPENED_ON: { column: 'openedOn', type: 'date' },
    DEFENDANTS: { column: 'defendants', type: 'int4' },
    FIREARMS_INVOLVED: { column: 'firearmsInvolved', type: 'int4' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'OPENED_ON',
};
