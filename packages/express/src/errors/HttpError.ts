import { HTTP_STATUS, type HttpErrorCode } from './httpStatus.js';

/**
 * @internal
 * An HTTP-only failure (wrong content type, for instance) raised by this package's middleware.
 * It has the `status`, `statusCode` and `expose` fields of the `http-errors` package, so an app
 * that replaces {@link errorHandler} with its own still answers with the right status.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly code: HttpErrorCode;
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;

  constructor(code: HttpErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = HTTP_STATUS[code];
    this.statusCode = this.status;
  }
}
