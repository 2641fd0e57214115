import { isIP } from 'node:net';
import type { RequestContext } from '../audit/AuditEvent.js';
import { originHost } from '../channels/originHost.js';
import { isVerificationId } from '../codes/verificationId.js';
import { CheckpointError, invalidRequest } from '../errors/CheckpointError.js';
import { DEFAULT_TENANT } from './runtime.js';

const PURPOSE = /^[a-z][a-z0-9_.:-]{0,63}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const CHANNEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;
const CODE = /^[0-9]{4,10}$/;
const CONTROL = /\p{Cc}/u;

/** @internal */
export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** @internal A checkpoint name such as `login` or `billing_change`. */
export function parsePurpose(value: unknown): string {
  if (typeof value !== 'string' || !PURPOSE.test(value)) {
    throw invalidRequest(
      '`purpose` must be a checkpoint name: lower-case letters, digits and _ . : - (at most 64), e.g. "login"',
    );
  }
  return value;
}

/** @internal */
export function parseTenantId(value: unknown): string {
  if (value === undefined) return DEFAULT_TENANT;
  if (typeof value !== 'string' || !TENANT.test(value)) {
    throw invalidRequest('`tenantId` must be 1 to 128 letters, digits or _ . : -');
  }
  return value;
}

/** @internal A user id or session binding. */
export function parseSubject(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 256 ||
    CONTROL.test(value)
  ) {
    throw invalidRequest(
      '`subject` must be a string of 1 to 256 characters without control characters',
    );
  }
  return value;
}

/** @internal */
export function parseChannelNames(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > 16) {
    throw invalidRequest('`channels` must be a non-empty array of at most 16 channel names');
  }
  return value.map((name) => parseChannelName(name, '`channels` entries'));
}

/** @internal */
export function parseChannelName(value: unknown, what = '`channel`'): string {
  if (typeof value !== 'string' || !CHANNEL.test(value))
    throw invalidRequest(`${what} must be a channel name`);
  return value;
}

/** @internal A short description of the approved action: printable text, at most 120 characters. */
export function parseApproving(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 120 ||
    CONTROL.test(value)
  ) {
    throw invalidRequest(
      '`approving` must be a string of 1 to 120 characters without control characters',
    );
  }
  return value;
}

/** @internal */
export function parseLocale(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !LOCALE.test(value)) {
    throw invalidRequest('`locale` must be a BCP 47 language tag such as "en" or "es-MX"');
  }
  return value;
}

/**
 * @internal
 * A per-send origin for the WebOTP line, such as `'https://shop.example.com'`: an http(s) origin
 * naming a domain (no path, no IP address). Returned as given.
 */
export function parseOrigin(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (originHost(value) === undefined) {
    throw invalidRequest(
      '`origin` must be an http(s) origin such as "https://app.example.com" (no path, not an IP address)',
    );
  }
  return value as string;
}

/** @internal The app-supplied request context. Sizes are capped; the IP must be an address. */
export function parseContext(value: unknown): RequestContext {
  if (value === undefined) return {};
  const raw = asObject(value, '`context`');
  const context: RequestContext = {};
  if (raw.ip !== undefined) {
    if (typeof raw.ip !== 'string' || raw.ip.length > 64 || isIP(raw.ip) === 0) {
      throw invalidRequest('`context.ip` must be an IPv4 or IPv6 address');
    }
    context.ip = raw.ip;
  }
  if (raw.asn !== undefined) context.asn = parseAsn(raw.asn);
  if (raw.userAgent !== undefined)
    context.userAgent = boundedString(raw.userAgent, 1_024, '`context.userAgent`');
  if (raw.deviceId !== undefined)
    context.deviceId = boundedString(raw.deviceId, 256, '`context.deviceId`');
  if (raw.consent !== undefined) {
    context.consent = boundedString(raw.consent, 256, '`context.consent`');
    // Audit exports and logs are read by people and tools: no line breaks or other controls.
    if (context.consent === '' || CONTROL.test(context.consent))
      throw invalidRequest(
        '`context.consent` must be 1 to 256 characters without control characters',
      );
  }
  return context;
}

function parseAsn(value: unknown): number {
  const text =
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? value.replace(/^AS/i, '')
        : '';
  const asn = /^[0-9]{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(asn) || asn < 0 || asn > 4_294_967_295) {
    throw invalidRequest('`context.asn` must be an AS number such as 13335 or "AS13335"');
  }
  return asn;
}

function boundedString(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string' || value.length > max)
    throw invalidRequest(`${what} must be a string of at most ${max} characters`);
  return value;
}

/**
 * @internal
 * A verification id. A non-string is a malformed request; a string that is not one of our ids
 * is simply not found (no hint about the id format).
 */
export function parseVerificationId(value: unknown): string {
  if (typeof value !== 'string') throw invalidRequest('`id` must be a verification id string');
  if (!isVerificationId(value)) throw new CheckpointError('not_found', 'no such verification');
  return value;
}

/**
 * @internal
 * A code: ASCII digits only, 4 to 10 of them. Letters, spaces, Unicode digits or a number type
 * are a malformed request, refused before the store and never counted as an attempt.
 */
export function parseCode(value: unknown): string {
  if (typeof value !== 'string') {
    throw invalidRequest('`code` must be a string of digits (a number would lose leading zeros)');
  }
  if (!CODE.test(value)) throw invalidRequest('`code` must be 4 to 10 digits 0-9');
  return value;
}
