/**
 * The error codes a client can see. Every error a client receives carries one of these in
 * `extensions.code` (Apollo Server adds GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED itself).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TRY_AGAIN: 'TRY_AGAIN',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
