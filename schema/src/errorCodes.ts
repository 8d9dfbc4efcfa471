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
  /** More introspection fields (`__schema`, `__type`) in one operation than QUERY_MAX_INTROSPECTION. */
  INTROSPECTION_LIMIT_EXCEEDED: 'INTROSPECTION_LIMIT_EXCEEDED',
  /** Introspection lists (`fields`, `interfaces`, `possibleTypes`, `inputFields`) nested more than 2 deep (graphql-js's MaxIntrospectionDepthRule). */
  INTROSPECTION_DEPTH_LIMIT_EXCEEDED: 'INTROSPECTION_DEPTH_LIMIT_EXCEEDED',
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
  // The persisted-operation safelist (gateway/src/safelist.ts, SAFELIST=enforce): Apollo Router's codes.
  /** An `extensions.persistedQuery.sha256Hash` that is no persisted operation's id, from a caller without graph:analyze (HTTP 401/403). */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** A document that is not a persisted operation, from a caller without graph:analyze (HTTP 401/403). */
  QUERY_NOT_IN_SAFELIST: 'QUERY_NOT_IN_SAFELIST',
  /** A CSV export (`POST /csv`) with more rows than CSV_MAX_ROWS, refused before its first row (HTTP 400) or cut short; `limit` is the value. */
  CSV_ROW_LIMIT_EXCEEDED: 'CSV_ROW_LIMIT_EXCEEDED',
  /** An aggregate (`…Aggregates(groupBy)`) with more groups than its limit (1,000): `limit` is the value. */
  AGGREGATE_GROUP_LIMIT_EXCEEDED: 'AGGREGATE_GROUP_LIMIT_EXCEEDED',
  /** `GET /dashboard` on a gateway whose dashboard was not built (a release made without `npm run build`): HTTP 503. */
  DASHBOARD_UNAVAILABLE: 'DASHBOARD_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
