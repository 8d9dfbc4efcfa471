import type { AuditEvent, Prisma } from '../generated/prisma/client';
import type { AuditEventConnectionResolvers } from '../generated/graphql';

/**
 * A page of the trail as `Query.auditEvents` returns it: the events themselves (nothing else
 * refers to an event, so no loader) and the filter, for `totalCount`.
 */
export interface AuditEventPage {
  nodes: AuditEvent[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  where: Prisma.AuditEventWhereInput;
}

export const AuditEventConnection: AuditEventConnectionResolvers = {
  // Counted only when asked: the trail grows without end, and a count scans every matching row.
  totalCount: (page, _args, { prisma }) => prisma.auditEvent.count({ where: page.where }),
};
