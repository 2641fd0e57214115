import { CheckpointError } from '@checkpoint/core';
import { toBase64Url } from './response/base64url.js';

// WebAuthn caps user.id (the user handle) at 64 bytes (L3 §5.4.3).
const MAX_USER_HANDLE_BYTES = 64;
const MAX_ID_LENGTH = 256;

/**
 * @internal
 * The user handle sent as `user.id` and returned in assertions: the UTF-8 bytes of the
 * application's user id, base64url. Spec: it must not carry personal data, so pass an opaque id.
 */
export function userHandleOf(userId: string): string {
  return toBase64Url(userId);
}

/** @internal Checks a required user id: a non-empty string whose UTF-8 form fits a user handle. */
export function checkUserId(userId: unknown): string {
  if (
    typeof userId !== 'string' ||
    userId === '' ||
    Buffer.byteLength(userId, 'utf8') > MAX_USER_HANDLE_BYTES
  ) {
    throw new CheckpointError(
      'invalid_request',
      'userId must be a non-empty string of at most 64 bytes (an opaque id, not an email address)',
    );
  }
  return userId;
}

/** @internal Checks an optional id (tenantId, or userId where it may be left out). */
export function checkOptionalId(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    throw new CheckpointError(
      'invalid_request',
      `${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters when given`,
    );
  }
  return value;
}

/** @internal Checks a display string (userName, displayName). */
export function checkName(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    throw new CheckpointError(
      'invalid_request',
      `${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
    );
  }
  return value;
}

/** @internal The input object of a ceremony call, or `invalid_request`. */
export function inputObject(input: unknown, call: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CheckpointError('invalid_request', `${call} needs an input object`);
  }
  return input as Record<string, unknown>;
}
