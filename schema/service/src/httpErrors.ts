import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Last middleware of every app: a body that is not JSON, too large, or any other HTTP-level
 * failure answers as a GraphQL-shaped JSON error with a code, never Express's HTML page (which
 * carries a stack trace outside production).
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = httpStatusOf(error);
    const type = (error as { type?: unknown }).type;
    let message = 'Internal server error';
    let code = 'INTERNAL_SERVER_ERROR';
    if (type === 'entity.parse.failed') {
      message = 'The request body is not valid JSON';
      code = 'BAD_REQUEST';
    } else if (type === 'entity.too.large') {
      message = 'The request body is too large';
      code = 'PAYLOAD_TOO_LARGE';
    } else if (status < 500) {
      message = 'Bad request';
      code = 'BAD_REQUEST';
    } else {
      logger.error({ err: error }, 'unhandled HTTP error');
    }
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/** Unknown routes answer 404 in JSON too. */
export const jsonNotFound: RequestHandler = (_req, res) => {
  res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
};

function httpStatusOf(error: unknown): number {
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
