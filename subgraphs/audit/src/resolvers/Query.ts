import { ErrorCode, hasScope, Scope, type Caller } from '@bicentennial/schema';
import { afterCursor, dateRange, encodeCursor, pageSize } from '@bicentennial/subgraph-kit';
import { GraphQLError } from 'graphql';
import type { Prisma } from '../generated/prisma/client';
import type { QueryResolvers } from '../generated/graphql';

/**
 * The trail is read with the `audit:read` scope only. The SDL says so (`@requiresScopes`) and
 * the gateway and the subgraph kit enforce it; the resolver checks again, so that no path that
 * reaches it without the scope (a test server, a future change of the kit) can read the trail.
 */
function requireAuditor(caller: Caller): void {
  if (!hasScope(caller, Scope.AUDITOR)) {
    throw new GraphQLError(`reading the audit trail needs the ${Scope.AUDITOR} scope`, {
      extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE },
    });
  }
}

const toDate = (value: string | number) => new Date(value);

export const Query: QueryResolvers = {
  // Not the kit's `rootList`: that counts the whole list for every page, and the trail only grows.
  // Same keyset (occurredAt, id) and cursors, newest first; `totalCount` is counted when asked.
  auditEvents: async (_parent, args, { prisma, caller }) => {
    requireAuditor(caller);
    const first = pageSize(args.first);
    const where: Prisma.AuditEventWhereInput = {
      ...dateRange('occurredAt', args.from, args.to),
      ...(args.subject != null ? { subject: args.subject } : {}),
      ...(args.agency != null ? { agency: args.agency } : {}),
      ...(args.outcome != null ? { outcome: args.outcome } : {}),
    };
    const rows = await prisma.auditEvent.findMany({
      where: { AND: [where, afterCursor(args.after, 'occurredAt', toDate)] },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    const nodes = rows.slice(0, first);
    const last = nodes.at(-1);
    return {
      nodes,
      pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last.occurredAt, last.id) : null },
      where,
    };
  },
};
