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
  // Query limits (README, Query limits): each refusal carries the limit in `extensions.limit`.
  /** Fields nested deeper than QUERY_MAX_DEPTH. */
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  /** More aliases than QUERY_MAX_ALIASES. */
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  /** More directives than QUERY_MAX_DIRECTIVES. */
  DIRECTIVE_LIMIT_EXCEEDED: 'DIRECTIVE_LIMIT_EXCEEDED',
  /** More lexical tokens than QUERY_MAX_TOKENS (the parser stops there). */
  TOKEN_LIMIT_EXCEEDED: 'TOKEN_LIMIT_EXCEEDED',
  /** More fields than can be costed once fragments are spread out. */
  FIELD_LIMIT_EXCEEDED: 'FIELD_LIMIT_EXCEEDED',
  /** An estimated cost above QUERY_MAX_COST (Apollo Router's code; `extensions.cost: { estimated, limit }`). */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  /** More operations in one batched HTTP request than QUERY_MAX_BATCH (HTTP 400). */
  BATCH_LIMIT_EXCEEDED: 'BATCH_LIMIT_EXCEEDED',
  /** A request's JSON (body, or a GET's variables and extensions) nested more than 64 levels (HTTP 400). */
  JSON_DEPTH_LIMIT_EXCEEDED: 'JSON_DEPTH_LIMIT_EXCEEDED',
  /** A request body larger than BODY_LIMIT (HTTP 413). */
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
