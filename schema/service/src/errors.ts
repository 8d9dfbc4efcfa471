import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { ErrorCode } from '@bicentennial/schema';

/** Input that cannot be right: names the argument or input field (`field`) that is wrong. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

/**
 * A write that was rolled back because it waited too long or met a concurrent write it could
 * not be ordered with: nothing was written, and the same request sent again (with the same
 * idempotency key) may well succeed. `extensions.retryable` says so to generic clients.
 */
export function tryAgain(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.TRY_AGAIN, retryable: true } });
}

/**
 * Apollo Server `formatError`: errors we raised on purpose (GraphQLErrors with a code) pass
 * through; anything else (a database error, a bug) is logged with its detail and reaches the
 * client only as "Internal server error", so SQL, file paths and stack traces never leak.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.['code'];
    const deliberate = original instanceof GraphQLError && original.originalError === undefined;
    if (deliberate || (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
