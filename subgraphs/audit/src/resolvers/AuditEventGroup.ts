import type { AuditEventGroupResolvers } from '../generated/graphql';

export const AuditEventGroup: AuditEventGroupResolvers = {
  day: (group) => (group['occurredOn'] instanceof Date ? group['occurredOn'] : null),
  averageDurationMs: (group) => group.average['durationMs'] ?? null,
  totalDurationMs: (group) => group.sum['durationMs'] ?? null,
};
