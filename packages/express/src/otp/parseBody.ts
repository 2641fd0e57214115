import { CheckpointError } from '@checkpoint/core';
import type { SendRequestBody } from './OtpRouterOptions.js';

// Generous bounds on sizes only: the formats themselves are core's to judge.
const MAX = { to: 320, purpose: 64, channel: 64, id: 64, code: 32 } as const;
type Field = keyof typeof MAX;

function invalid(message: string): CheckpointError {
  return new CheckpointError('invalid_request', message);
}

/** @internal The body as an object; absent is `{}` only where every field is optional. */
function asObject(body: unknown, optional: boolean): Record<string, unknown> {
  if (body === undefined && optional) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** An own property only: `__proto__` or `constructor` keys in JSON never reach a prototype. */
function read(body: Record<string, unknown>, field: Field, required: true): string;
function read(body: Record<string, unknown>, field: Field, required: false): string | undefined;
function read(body: Record<string, unknown>, field: Field, required: boolean): string | undefined {
  const value = Object.hasOwn(body, field) ? body[field] : undefined;
  if (value === undefined || value === null) {
    if (required) throw invalid(`\`${field}\` is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX[field]) {
    throw invalid(`\`${field}\` must be a string of 1 to ${MAX[field]} characters`);
  }
  return value;
}

/** @internal Validates `POST /send`; unknown fields are ignored. */
export function parseSendBody(
  body: unknown,
  allowed: { purposes: ReadonlySet<string> | undefined; channels: ReadonlySet<string> | undefined },
): SendRequestBody {
  const object = asObject(body, false);
  const to = read(object, 'to', true);
  const purpose = read(object, 'purpose', true);
  const channel = parseChannel(object, allowed.channels);
  if (allowed.purposes !== undefined && !allowed.purposes.has(purpose)) {
    throw invalid(`\`purpose\` must be one of: ${[...allowed.purposes].join(', ')}`);
  }
  return channel === undefined ? { to, purpose } : { to, purpose, channel };
}

/** @internal Validates `POST /check`: the code's digits are core's to judge. */
export function parseCheckBody(body: unknown): { id: string; code: string } {
  const object = asObject(body, false);
  return { id: read(object, 'id', true), code: read(object, 'code', true) };
}

/** @internal Validates `POST /:id/resend`: an optional `channel`. */
export function parseResendBody(
  body: unknown,
  channels: ReadonlySet<string> | undefined,
): { channel?: string } {
  const channel = parseChannel(asObject(body, true), channels);
  return channel === undefined ? {} : { channel };
}

/** @internal A verification id from the path: a string of sane length (its format is core's). */
export function parseIdParam(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX.id) {
    throw invalid(`the verification id must be 1 to ${MAX.id} characters`);
  }
  return id;
}

function parseChannel(
  body: Record<string, unknown>,
  channels: ReadonlySet<string> | undefined,
): string | undefined {
  const channel = read(body, 'channel', false);
  if (channel !== undefined && channels !== undefined && !channels.has(channel)) {
    throw invalid(`\`channel\` must be one of: ${[...channels].join(', ')}`);
  }
  return channel;
}
