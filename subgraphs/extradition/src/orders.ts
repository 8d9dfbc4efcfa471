import type { ListOrder } from '@bicentennial/subgraph-kit';
import type { ExtraditionCaseOrderField, TransferActionOrderField } from './generated/graphql';
import type { ExtraditionCase, TransferAction } from './generated/prisma/client';

/*
 * The orders of this subgraph's lists: each `…OrderField` value of the SDL with its column (a
 * NOT NULL one, with an index on it and id: prisma/schema.prisma). The default is the first.
 */

/** `ExtraditionCaseOrder`: STATUS_ON, PERSON, RECORDED_AT; newest first on STATUS_ON by default. */
export const CASE_ORDER: ListOrder<ExtraditionCaseOrderField, Extract<keyof ExtraditionCase, string>> = {
  fields: {
    STATUS_ON: { column: 'statusOn', type: 'date' },
    PERSON: { column: 'person', type: 'text' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'STATUS_ON',
};

/** `TransferActionOrder`: ENDED_ON, STARTED_ON, PERSONS_TRANSFERRED, RECORDED_AT; newest first on ENDED_ON by default. */
export const TRANSFER_ORDER: ListOrder<TransferActionOrderField, Extract<keyof TransferAction, string>> = {
  fields: {
    ENDED_ON: { column: 'endedOn', type: 'date' },
    STARTED_ON: { column: 'startedOn', type: 'date' },
    PERSONS_TRANSFERRED: { column: 'personsTransferred', type: 'int4' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'ENDED_ON',
};
