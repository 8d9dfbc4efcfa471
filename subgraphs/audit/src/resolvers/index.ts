import type { Resolvers } from '../generated/graphql';
import { AuditEventConnection } from './AuditEventConnection';
import { AuditEventGroup } from './AuditEventGroup';
import { Query } from './Query';

/**
 * One file per GraphQL type this subgraph defines that needs resolvers, named after it
 * (AuditEvent's fields are its row's columns). No Mutation: nothing in the API changes the trail.
 */
export const resolvers: Resolvers = { Query, AuditEventConnection, AuditEventGroup };
