import { isCheckpointError, type Logger, silentLogger } from '@checkpoint/core';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { HttpError } from './HttpError.js';
import { type ErrorBody, HTTP_STATUS, type HttpErrorCode } from './httpStatus.js';

/**
 * Options of {@link errorHandler}.
 * @example errorHandler({ logger: pino() })
 */
export interface ErrorHandlerOptions {
  /**
   * Receives every error that answers 500 (pino's method shape, as in `@checkpoint/core`), with
   * the error itself under `err`. The client never sees its message or stack.
   * @default silent
   */
  logger?: Logger;
}

const TOO_LARGE = 'the request body is larger than this endpoint accepts';

/** body-parser / raw-body failures (`err.type`) and what the client is told about each. */
const BODY_ERRORS: Readonly<Record<string, { code: HttpErrorCode; message: string }>> = {
  'entity.parse.failed': {
    code: 'invalid_request',
    message: 'the request body is not valid JSON (an object is expected)',
  },
  'entity.verify.failed': { code: 'invalid_request', message: 'the request body was refused' },
  'request.aborted': { code: 'invalid_request', message: 'the request body was cut short' },
  'request.size.invalid': {
    code: 'invalid_request',
    message: 'the request body does not match its Content-Length',
  },
  'entity.too.large': { code: 'payload_too_large', message: TOO_LARGE },
  'parameters.too.many': {
    code: 'payload_too_large',
    message: 'the request body has too many parameters',
  },
  'charset.unsupported': {
    code: 'unsupported_media_type',
    message: 'the request body must be UTF-8 JSON',
  },
  'encoding.unsupported': {
    code: 'unsupported_media_type',
    message: 'the request body must not use this Content-Encoding',
  },
};

/**
 * Express error middleware that answers every error as JSON `{ error, message, retryAfter? }`:
 * a `CheckpointError` with its status (from {@link HTTP_STATUS}) and, on 429, a `Retry-After`
 * header; a body-parser failure as 400 / 413 / 415; any other error that carries a 4xx `status`
 * or `statusCode` (the http-errors convention: a body that does not decode as its
 * `Content-Encoding` says, for one) as 413 / 415 for those statuses and 400 `invalid_request`
 * for the rest; anything else as 500 `internal_error`, logged through `logger` and never echoed
 * to the client.
 *
 * Mount it after the routes it covers. `otpRouter` mounts one itself unless told not to.
 *
 * @example
 * app.use('/otp', otpRouter(checkpoint, { secret }));
 * app.use(errorHandler({ logger: pino() }));
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-retry-after
 */
export function errorHandler({
  logger = silentLogger,
}: ErrorHandlerOptions = {}): ErrorRequestHandler {
  // Express tells error middleware apart by its four parameters.
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a JSON answer: Express's final handler closes the connection.
      next(err);
      return;
    }
    const body = describe(err, req);
    if (body === undefined) {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error in request');
      send(res, { error: 'internal_error', message: 'an internal error occurred' });
      return;
    }
    send(res, body);
  };
}

/** The client-safe body for a known failure, or undefined for anything that must be a 500. */
function describe(err: unknown, req: Request): ErrorBody | undefined {
  if (isCheckpointError(err)) return err.toJSON();
  if (err instanceof HttpError) return { error: err.code, message: err.message };
  if (typeof err !== 'object' || err === null) return undefined;
  const type: unknown = (err as { type?: unknown }).type;
  const known =
    typeof type === 'string' && Object.hasOwn(BODY_ERRORS, type) ? BODY_ERRORS[type] : undefined;
  if (known !== undefined) return { error: known.code, message: known.message };
  // Express's router fails to decode a malformed `%` escape in a path parameter with a 400 URIError.
  if (err instanceof URIError && (err as URIError & { status?: unknown }).status === 400) {
    return { error: 'invalid_request', message: 'the request URL is malformed' };
  }
  return clientError(err, req);
}

/**
 * An error that says it is the client's by a 4xx `status` or `statusCode`, without a `type` we
 * know. body-parser passes a zlib failure on this way (400, zlib's own `code`), so a gzip, deflate
 * or br body that is not what its header says is answered here, whatever the next zlib code is.
 */
function clientError(err: object, req: Request): ErrorBody | undefined {
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const code = isClientStatus(status) ? status : isClientStatus(statusCode) ? statusCode : 0;
  if (code === 0) return undefined;
  if (code === 413) return { error: 'payload_too_large', message: TOO_LARGE };
  if (code === 415) {
    return {
      error: 'unsupported_media_type',
      message: 'the request body has a type or encoding this endpoint does not accept',
    };
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return {
      error: 'invalid_request',
      message: 'the request body does not decode as its Content-Encoding says',
    };
  }
  return { error: 'invalid_request', message: 'the request was refused' };
}

function isClientStatus(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 400 && (value as number) <= 499;
}

function send(res: Response, body: ErrorBody): void {
  res.status(HTTP_STATUS[body.error]);
  res.set('Cache-Control', 'no-store');
  if (body.retryAfter !== undefined) res.set('Retry-After', String(body.retryAfter));
  res.json(body);
}
