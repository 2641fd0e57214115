import type { CheckpointErrorCode } from '@checkpoint/core';

/**
 * Every `error` code an HTTP response from this package can carry: Checkpoint's own codes, plus
 * the failures only HTTP has (a body too large, a body that is not JSON, a bug).
 */
export type HttpErrorCode =
  | CheckpointErrorCode
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error';

/**
 * The HTTP status of every error code: the one table this package answers from (tRPC's
 * code-to-status map). Adding a code to `CheckpointErrorCode` without a row here fails to compile.
 *
 * @example
 * HTTP_STATUS.rate_limited; // 429
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15 (status codes)
 */
export const HTTP_STATUS = {
  invalid_request: 400,
  invalid_number: 400,
  authentication_failed: 401,
  country_blocked: 403,
  fraud_detected: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  channel_unavailable: 503,
  store_unavailable: 503,
  idp_unavailable: 503,
} as const satisfies Record<HttpErrorCode, number>;

/**
 * The JSON body of every error response: a stable `error` code for programs, a `message` for
 * people, and `retryAfter` (seconds, also sent as the `Retry-After` header) on 429.
 *
 * @example
 * const body: ErrorBody = { error: 'rate_limited', message: 'retry in 30 s', retryAfter: 30 };
 */
export interface ErrorBody {
  error: HttpErrorCode;
  message: string;
  retryAfter?: number;
}
