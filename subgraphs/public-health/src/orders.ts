import type { ListOrder } from '@bicentennial/subgraph-kit';
import type { HomicideStatisticOrderField, ProgrammeOrderField } from './generated/graphql';
import type { HomicideStatistic, Programme } from './generated/prisma/client';

/*
 * The orders of this subgraph's lists: each `…OrderField` value of the SDL with its column (a
 * NOT NULL one, with an index on it and id: prisma/schema.prisma). The default is the first.
 */

/** `HomicideStatisticOrder`: PERIOD_END, PERIOD_START, RECORDED_AT; newest first on PERIOD_END by default. */
export const HOMICIDE_ORDER: ListOrder<HomicideStatisticOrderField, Extract<keyof HomicideStatistic, string>> = {
  fields: {
    PERIOD_END: { column: 'periodEnd', type: 'date' },
    PERIOD_START: { column: 'periodStart', type: 'date' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'PERIOD_END',
};

/** `ProgrammeOrder`: STARTED_ON, NAME, RECORDED_AT; newest first on STARTED_ON by default. */
export const PROGRAMME_ORDER: ListOrder<ProgrammeOrderField, Extract<keyof Programme, string>> = {
  fields: {
    STARTED_ON: { column: 'startedOn', type: 'date' },
    NAME: { column: 'name', type: 'text' },
    RECORDED_AT: { column: 'recordedAt', type: 'timestamptz' },
  },
  default: 'STARTED_ON',
};
