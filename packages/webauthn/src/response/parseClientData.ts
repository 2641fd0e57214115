import { malformed } from '../errors/refusal.js';
import { fromBase64Url, isBase64Url } from './base64url.js';

/** @internal The fields of CollectedClientData that the checks read. */
export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
  crossOrigin: boolean;
  topOrigin?: string;
}

const MAX_CLIENT_DATA = 8_192;
/** A challenge is ours only if it looks like one: base64url of 16 to 64 bytes. */
const CHALLENGE = /^[A-Za-z0-9_-]{22,86}$/;

/** @internal Decodes clientDataJSON (base64url JSON); anything that is not one is `invalid_request`. */
export function parseClientData(encoded: unknown): ClientData {
  if (!isBase64Url(encoded, MAX_CLIENT_DATA)) {
    throw malformed('response.clientDataJSON must be a base64url string');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(fromBase64Url(encoded)).toString('utf8'));
  } catch {
    throw malformed('response.clientDataJSON is not JSON');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw malformed('response.clientDataJSON is not a JSON object');
  }
  const { type, challenge, origin, crossOrigin, topOrigin } = decoded as Record<string, unknown>;
  if (typeof type !== 'string' || typeof origin !== 'string') {
    throw malformed('response.clientDataJSON needs type and origin strings');
  }
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) {
    throw malformed('response.clientDataJSON needs the challenge, a base64url string');
  }
  if (crossOrigin !== undefined && typeof crossOrigin !== 'boolean') {
    throw malformed('response.clientDataJSON crossOrigin must be true or false');
  }
  if (topOrigin !== undefined && typeof topOrigin !== 'string') {
    throw malformed('response.clientDataJSON topOrigin must be a string');
  }
  const parsed: ClientData = { type, challenge, origin, crossOrigin: crossOrigin === true };
  if (topOrigin !== undefined) parsed.topOrigin = topOrigin;
  return parsed;
}
