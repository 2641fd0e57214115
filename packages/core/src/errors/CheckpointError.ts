/**
 * The closed set of error codes Checkpoint raises, with the HTTP status each maps to.
 * A wrong code is not an error: it is a check result (`failed`).
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_number: 400,
  authentication_failed: 401,
  not_found: 404,
  rate_limited: 429,
  country_blocked: 403,
  fraud_detected: 403,
  channel_unavailable: 503,
  store_unavailable: 503,
  idp_unavailable: 503,
} as const;

/** A stable, machine-readable error code. Switch on it; the message is for people. */
export type CheckpointErrorCode = keyof typeof ERROR_STATUS;

/** Options accepted by the {@link CheckpointError} constructor. */
export interface CheckpointErrorOptions {
  /** Seconds the caller should wait before retrying (`rate_limited`). */
  retryAfter?: number;
  /** Machine-readable reasons behind the decision, e.g. `['velocity:ip']`. */
  reasons?: readonly string[];
  /** The audit event that recorded the refusal, when one was written. */
  auditEventId?: string;
  cause?: unknown;
}

/**
 * The one error class of Checkpoint: every failure that is not a check result is one of these.
 *
 * @example
 * try { await checkpoint.send({ to, purpose: 'login' }); }
 * catch (err) { if (isCheckpointError(err) && err.code === 'rate_limited') retryIn(err.retryAfter); }
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  readonly code: CheckpointErrorCode;
  /** HTTP status for this code (400, 401, 403, 404, 429 or 503). */
  readonly status: number;
  readonly retryAfter?: number;
  readonly reasons: readonly string[];
  readonly auditEventId?: string;

  constructor(code: CheckpointErrorCode, message: string, options: CheckpointErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.reasons = options.reasons ?? [];
    if (options.retryAfter !== undefined)
      this.retryAfter = Math.max(1, Math.ceil(options.retryAfter));
    if (options.auditEventId !== undefined) this.auditEventId = options.auditEventId;
  }

  /** A JSON body safe to return to a client: code, message and retryAfter only. */
  toJSON(): { error: CheckpointErrorCode; message: string; retryAfter?: number } {
    return this.retryAfter === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, retryAfter: this.retryAfter };
  }
}

/** True when `value` is a {@link CheckpointError} (also across duplicated package copies). */
export function isCheckpointError(value: unknown): value is CheckpointError {
  if (value instanceof CheckpointError) return true;
  if (!(value instanceof Error) || value.name !== 'CheckpointError') return false;
  const code: unknown = (value as Error & { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code);
}

/** @internal Shorthand for `new CheckpointError('invalid_request', message)`. */
export function invalidRequest(message: string): CheckpointError {
  return new CheckpointError('invalid_request', message);
}
