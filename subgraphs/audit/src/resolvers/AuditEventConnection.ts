import { edgesOf, type Page } from '@bicentennial/subgraph-kit';
import type { AuditEvent } from '../generated/prisma/client';
import type { AuditEventConnectionResolvers } from '../generated/graphql';

/**
 * A page of the trail as `Query.auditEvents` returns it: the events themselves (nothing else
 * refers to an event, so no loader), and `totalCount` counted only when asked: the trail grows
 * without end, and a count scans every matching row.
 */
export type AuditEventPage = Page<AuditEvent>;

export const AuditEventConnection: AuditEventConnectionResolvers = {
  edges: (page) => edgesOf(page),
};
