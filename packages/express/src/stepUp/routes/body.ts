import { CheckpointError } from '@checkpoint/core';

/** @internal The JSON body as a record (anything else reads as empty). */
export function bodyOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** @internal `body.code`: a string of at most 32 characters, else 400. */
export function codeOf(body: Record<string, unknown>): string {
  const { code } = body;
  if (typeof code !== 'string' || code === '' || code.length > 32) {
    throw new CheckpointError('invalid_request', 'code must be a string of 1-32 characters');
  }
  return code;
}
