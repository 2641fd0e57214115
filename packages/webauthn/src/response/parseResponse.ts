import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  decodeAttestationObject,
  type ParsedAuthenticatorData,
  parseAuthenticatorData,
} from '@simplewebauthn/server/helpers';
import { malformed } from '../errors/refusal.js';
import { fromBase64Url, isBase64Url, toBase64Url, unpadded } from './base64url.js';
import { type ClientData, parseClientData } from './parseClientData.js';

/** @internal An assertion whose shape has been checked; `response` holds only the known fields. */
export interface ParsedAssertion {
  response: AuthenticationResponseJSON;
  clientData: ClientData;
  authData: ParsedAuthenticatorData;
  /** base64url user handle, unpadded, when the authenticator returned one. */
  userHandle?: string;
}

/** @internal An attestation whose shape has been checked; `response` holds only the known fields. */
export interface ParsedAttestation {
  response: RegistrationResponseJSON;
  clientData: ClientData;
  authData: ParsedAuthenticatorData;
  /** The statement format (`fmt`); the library checks it is one it knows. */
  format: string;
  /** The statement's certificate chain (`attStmt.x5c`), DER, leaf first; empty without one. */
  x5c: Uint8Array[];
}

// A credential id is at most 1023 bytes (WebAuthn L3 §5.8.3); a user handle at most 64.
const MAX_ID = 1_366;
const MAX_USER_HANDLE = 88;
const MAX_AUTHENTICATOR_DATA = 8_192;
const MAX_SIGNATURE = 8_192;
const MAX_ATTESTATION_OBJECT = 65_536;
const MAX_TRANSPORTS = 8;
const MAX_X5C = 8;

/** @internal Checks an authentication response body; anything malformed is `invalid_request`. */
export function parseAssertion(value: unknown): ParsedAssertion {
  const { id, body } = credentialFields(value);
  const { clientDataJSON, authenticatorData, signature, userHandle } = body;
  if (!isBase64Url(authenticatorData, MAX_AUTHENTICATOR_DATA)) {
    throw malformed('response.authenticatorData must be a base64url string');
  }
  if (!isBase64Url(signature, MAX_SIGNATURE)) {
    throw malformed('response.signature must be a base64url string');
  }
  const hasUserHandle = userHandle !== undefined && userHandle !== null && userHandle !== '';
  if (
    hasUserHandle &&
    !(isBase64Url(userHandle, MAX_USER_HANDLE) && fromBase64Url(userHandle).length <= 64)
  ) {
    throw malformed('response.userHandle must be a base64url string of at most 64 bytes');
  }
  const clientData = parseClientData(clientDataJSON);
  const authData = authenticatorDataOf(
    fromBase64Url(authenticatorData),
    'response.authenticatorData',
  );
  const response: AuthenticationResponseJSON = {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: clientDataJSON as string, authenticatorData, signature },
  };
  const parsed: ParsedAssertion = { response, clientData, authData };
  if (hasUserHandle) {
    response.response.userHandle = userHandle;
    parsed.userHandle = unpadded(userHandle);
  }
  return parsed;
}

/** @internal Checks a registration response body; anything malformed is `invalid_request`. */
export function parseAttestation(value: unknown): ParsedAttestation {
  const { id, body } = credentialFields(value);
  const { clientDataJSON, attestationObject, transports } = body;
  if (!isBase64Url(attestationObject, MAX_ATTESTATION_OBJECT)) {
    throw malformed('response.attestationObject must be a base64url string');
  }
  if (
    transports !== undefined &&
    !(
      Array.isArray(transports) &&
      transports.length <= MAX_TRANSPORTS &&
      transports.every((t) => typeof t === 'string' && t.length <= 32)
    )
  ) {
    throw malformed('response.transports must be an array of transport names');
  }
  const clientData = parseClientData(clientDataJSON);
  let decoded: ReturnType<typeof decodeAttestationObject>;
  try {
    decoded = decodeAttestationObject(fromBase64Url(attestationObject));
  } catch {
    throw malformed('response.attestationObject is not CBOR');
  }
  const authDataBytes: unknown = decoded.get('authData');
  const format: unknown = decoded.get('fmt');
  const statement: unknown = decoded.get('attStmt');
  const x5c: unknown = statement instanceof Map ? statement.get('x5c') : undefined;
  if (typeof format !== 'string' || !(statement instanceof Map)) {
    throw malformed('response.attestationObject needs fmt and attStmt');
  }
  if (
    x5c !== undefined &&
    !(
      Array.isArray(x5c) &&
      x5c.length > 0 &&
      x5c.length <= MAX_X5C &&
      x5c.every((certificate) => certificate instanceof Uint8Array)
    )
  ) {
    throw malformed('attStmt.x5c must be a list of certificates');
  }
  if (!(authDataBytes instanceof Uint8Array)) {
    throw malformed('response.attestationObject has no authData');
  }
  const authData = authenticatorDataOf(authDataBytes, 'attestationObject.authData');
  if (authData.credentialID === undefined || authData.credentialPublicKey === undefined) {
    throw malformed('attestationObject.authData carries no attested credential');
  }
  if (toBase64Url(authData.credentialID) !== unpadded(id)) {
    throw malformed('response.id is not the credential id in attestationObject.authData');
  }
  const response: RegistrationResponseJSON = {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: clientDataJSON as string,
      attestationObject,
      ...(transports === undefined ? {} : { transports: [...(transports as string[])] }),
    },
  };
  return {
    response,
    clientData,
    authData,
    format,
    x5c: Array.isArray(x5c)
      ? x5c.map((certificate: Uint8Array) => Uint8Array.from(certificate))
      : [],
  };
}

/** The fields both responses share: `id` equal to `rawId`, `type: 'public-key'`, a `response` object. */
function credentialFields(value: unknown): { id: string; body: Record<string, unknown> } {
  if (!isRecord(value)) {
    throw malformed('the WebAuthn response must be the JSON object the browser produced');
  }
  const { id, rawId, type, response } = value;
  if (!isBase64Url(id, MAX_ID) || rawId !== id) {
    throw malformed('the WebAuthn response needs id and rawId: the same base64url string');
  }
  if (type !== 'public-key') {
    throw malformed("the WebAuthn response type must be 'public-key'");
  }
  if (!isRecord(response)) {
    throw malformed('the WebAuthn response needs a response object');
  }
  return { id, body: response };
}

function authenticatorDataOf(bytes: Uint8Array, name: string): ParsedAuthenticatorData {
  try {
    // The parser may patch bytes in place (a Firefox EdDSA quirk): give it a copy.
    return parseAuthenticatorData(Uint8Array.from(bytes));
  } catch {
    throw malformed(`${name} is not authenticator data`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
