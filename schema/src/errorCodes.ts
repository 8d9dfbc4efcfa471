/**
 * The error codes a client can see. Every error a client receives carries one of these in
 * `extensions.code` (Apollo Server adds GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED itself).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TRY_AGAIN: 'TRY_AGAIN',
  /** No valid token: missing where one is required, expired, forged, for another audience … (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A field or type the caller may not see (removed from the operation; comes back null). */
  UNAUTHORIZED_FIELD_OR_TYPE: 'UNAUTHORIZED_FIELD_OR_TYPE',
  /** The caller is known but not allowed this (a write outside its scopes, introspection in production). */
  FORBIDDEN: 'FORBIDDEN',
  /** Too many requests from this caller: retry after `extensions.retryAfterSeconds` (HTTP 429). */
  RATE_LIMITED: 'RATE_LIMITED',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
