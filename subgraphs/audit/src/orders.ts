import type { ListOrder } from '@bicentennial/subgraph-kit';
import type { AuditEventOrderField } from './generated/graphql';
import type { AuditEvent } from './generated/prisma/client';

/*
 * The orders of this subgraph's lists: each `…OrderField` value of the SDL with its column (a
 * NOT NULL one, with an index on it and id: prisma/schema.prisma). The default is the first.
 */

/** `AuditEventOrder`: OCCURRED_AT; newest first on OCCURRED_AT by default. */
export const AUDIT_EVENT_ORDER: ListOrder<AuditEventOrderField, Extract<keyof AuditEvent, string>> = {
  fields: {
    OCCURRED_AT: { column: 'occurredAt', type: 'timestamptz' },
  },
  default: 'OCCURRED_AT',
};
