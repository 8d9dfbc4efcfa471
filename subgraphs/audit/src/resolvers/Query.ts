import { ErrorCode, hasScope, Scope, type Caller } from '@bicentennial/schema';
import { dateRange, groupModel, rootAggregate, rootPage, type GroupingSpec } from '@bicentennial/subgraph-kit';
import { GraphQLError } from 'graphql';
import type { Prisma } from '../generated/prisma/client';
import type { AuditEventGroupBy, QueryAuditEventsArgs, QueryResolvers } from '../generated/graphql';
import { AUDIT_EVENT_ORDER } from '../orders';

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

type AuditFilters = Pick<QueryAuditEventsArgs, 'subject' | 'agency' | 'outcome' | 'from' | 'to'>;

/** The events `auditEvents` and `auditEventAggregates` select: one filter for the rows and their groups. */
function auditWhere(args: AuditFilters): Prisma.AuditEventWhereInput {
  return {
    ...dateRange('occurredAt', args.from, args.to),
    ...(args.subject != null ? { subject: args.subject } : {}),
    ...(args.agency != null ? { agency: args.agency } : {}),
    ...(args.outcome != null ? { outcome: args.outcome } : {}),
  };
}

const AUDIT_GROUPS: GroupingSpec<AuditEventGroupBy, string, 'durationMs'> = {
  keys: {
    DAY: 'occurredOn',
    SUBJECT: 'subject',
    AGENCY: 'agency',
    COUNTRY: 'country',
    OPERATION_NAME: 'operationName',
    OUTCOME: 'outcome',
  },
  measures: ['durationMs'],
};

export const Query: QueryResolvers = {
  // Keyset pages (occurredAt, id) both ways, as every list of the graph; `totalCount` is counted
  // only when asked (the kit's rootPage), since the trail only grows.
  auditEvents: (_parent, args, { prisma, caller }) => {
    requireAuditor(caller);
    return rootPage(prisma.auditEvent, AUDIT_EVENT_ORDER, args, () => auditWhere(args));
  },
  auditEventAggregates: (_parent, { groupBy, ...filters }, { prisma, caller }) => {
    requireAuditor(caller);
    return rootAggregate(groupModel<Prisma.AuditEventWhereInput>(prisma.auditEvent), AUDIT_GROUPS, groupBy, () =>
      auditWhere(filters),
    );
  },
};
