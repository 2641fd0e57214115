import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  type AttestationFormat,
  type AttestationSigner,
  attestationStatement,
} from './attestationStatement.js';
import { encodeCbor } from './cbor.js';
import type {
  AssertionOverrides,
  CeremonyOverrides,
  SoftwareAuthenticatorOptions,
} from './SoftwareAuthenticatorOptions.js';

interface HeldCredential {
  id: Uint8Array;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;
const ES256 = -7;

/**
 * A software WebAuthn authenticator and the browser around it, on node:crypto: ES256 (P-256)
 * keys, "none" attestation (or packed / fido-u2f with an {@link AttestationSigner}), real CBOR,
 * real signatures. It answers the JSON options of
 * @simplewebauthn/server with the JSON @simplewebauthn/browser would send back, so tests run
 * the server's real verification. Every flag and clientData field has a knob.
 *
 * @example
 * const authenticator = new SoftwareAuthenticator({ origin: 'https://app.example' });
 * const credential = await webauthn.verifyRegistration({ userId, response: authenticator.register(await webauthn.registrationOptions({ userId, userName })) });
 * const { factor } = await webauthn.verifyAuthentication({ userId, response: authenticator.authenticate(await webauthn.authenticationOptions({ userId })) });
 * @see W3C WebAuthn Level 3 §6 (authenticator model), §8.7 (none attestation)
 */
export class SoftwareAuthenticator {
  private readonly held: HeldCredential[] = [];
  private readonly defaults: Required<Omit<SoftwareAuthenticatorOptions, 'attestation'>>;
  private readonly signer: AttestationSigner | undefined;

  constructor({
    origin,
    aaguid = '5c7b7e9a-2b85-464e-9ea3-529582bb7e34',
    userVerified = true,
    backupEligible = false,
    backupState = false,
    transports = ['internal'],
    attestation,
  }: SoftwareAuthenticatorOptions) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(aaguid)) {
      throw new TypeError('SoftwareAuthenticator aaguid must be a UUID');
    }
    this.defaults = { origin, aaguid, userVerified, backupEligible, backupState, transports };
    this.signer = attestation;
  }

  /** Ids (base64url) of the credentials this authenticator holds, oldest first. */
  get credentialIds(): string[] {
    return this.held.map((credential) => toBase64Url(credential.id));
  }

  /**
   * Creates a credential, like `navigator.credentials.create()` then `toJSON()`. Throws a
   * DOMException `InvalidStateError` when the options exclude a credential it holds, and
   * `NotSupportedError` when they do not offer ES256.
   */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: CeremonyOverrides = {},
  ): RegistrationResponseJSON {
    const rpId = overrides.rpId ?? options.rp.id ?? new URL(this.defaults.origin).hostname;
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.held.some((c) => c.rpId === rpId && excluded.has(toBase64Url(c.id)))) {
      throw new DOMException(
        'a credential in excludeCredentials is on this authenticator',
        'InvalidStateError',
      );
    }
    if (!options.pubKeyCredParams.some((param) => param.alg === ES256)) {
      throw new DOMException('ES256 is not offered', 'NotSupportedError');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = encodeCbor(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, ES256], // alg
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const id = new Uint8Array(randomBytes(32));
    const credential: HeldCredential = {
      id,
      rpId,
      userHandle: options.user.id,
      privateKey,
      counter: 0,
    };
    const format = this.formatFor(options, overrides);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const head = this.authDataHead(rpId, overrides, 0, FLAG_AT);
    const authData = Buffer.concat([
      head,
      // U2F devices have no AAGUID: zeros (WebAuthn L3 §8.6).
      format === 'fido-u2f'
        ? Buffer.alloc(16)
        : Buffer.from(this.defaults.aaguid.replace(/-/g, ''), 'hex'),
      idLength,
      id,
      coseKey,
    ]);
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, overrides);
    const statement = attestationStatement(format, {
      signer: this.signer,
      credentialKey: privateKey,
      authData,
      clientDataHash: createHash('sha256').update(clientDataJSON).digest(),
      rpIdHash: head.subarray(0, 32),
      credentialId: id,
      publicKeyPoint: Buffer.concat([
        Uint8Array.of(4),
        Buffer.from(jwk.x ?? '', 'base64url'),
        Buffer.from(jwk.y ?? '', 'base64url'),
      ]),
    });
    this.held.push(credential);
    return {
      id: toBase64Url(id),
      rawId: toBase64Url(id),
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: toBase64Url(clientDataJSON),
        attestationObject: toBase64Url(encodeCbor({ ...statement, authData })),
        transports: [...this.defaults.transports],
      },
    };
  }

  /**
   * Signs an assertion, like `navigator.credentials.get()` then `toJSON()`. Throws a DOMException
   * `NotAllowedError` when it holds no credential the options allow.
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: AssertionOverrides = {},
  ): AuthenticationResponseJSON {
    const credential = this.pick(options, overrides.credentialId);
    const rpId = overrides.rpId ?? options.rpId ?? credential.rpId;
    credential.counter = overrides.counter ?? credential.counter + 1;
    const authData = this.authDataHead(rpId, overrides, credential.counter, 0);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, overrides);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, credential.privateKey);
    if (overrides.badSignature === true) {
      const last = signature.length - 1;
      signature.writeUInt8(signature.readUInt8(last) ^ 0x01, last);
    }
    const userHandle =
      overrides.userHandle === undefined ? credential.userHandle : overrides.userHandle;
    return {
      id: toBase64Url(credential.id),
      rawId: toBase64Url(credential.id),
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: toBase64Url(clientDataJSON),
        authenticatorData: toBase64Url(authData),
        signature: toBase64Url(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
    };
  }

  /** What a browser would pass on: nothing unless the options ask and the authenticator can. */
  private formatFor(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: CeremonyOverrides,
  ): AttestationFormat {
    if (overrides.attestation !== undefined) return overrides.attestation;
    const asked = options.attestation ?? 'none';
    if (asked === 'none' || this.signer === undefined) return 'none';
    return this.signer.format ?? 'packed';
  }

  private pick(
    options: PublicKeyCredentialRequestOptionsJSON,
    credentialId: string | undefined,
  ): HeldCredential {
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const found = this.held.find((c) => {
      const id = toBase64Url(c.id);
      if (credentialId !== undefined) return id === credentialId;
      if (options.rpId !== undefined && c.rpId !== options.rpId) return false;
      return allowed.length === 0 || allowed.includes(id);
    });
    if (found === undefined) {
      throw new DOMException('no credential on this authenticator matches', 'NotAllowedError');
    }
    return found;
  }

  /** rpIdHash ‖ flags ‖ signCount (WebAuthn L3 §6.1). */
  private authDataHead(
    rpId: string,
    overrides: CeremonyOverrides,
    counter: number,
    extraFlags: number,
  ): Buffer {
    const {
      userPresent = true,
      userVerified = this.defaults.userVerified,
      backupEligible = this.defaults.backupEligible,
      backupState = this.defaults.backupState,
    } = overrides;
    const flags =
      (userPresent ? FLAG_UP : 0) |
      (userVerified ? FLAG_UV : 0) |
      (backupEligible ? FLAG_BE : 0) |
      (backupState ? FLAG_BS : 0) |
      extraFlags;
    const head = Buffer.alloc(37);
    createHash('sha256').update(rpId, 'utf8').digest().copy(head, 0);
    head[32] = flags;
    head.writeUInt32BE(counter, 33);
    return head;
  }

  /** CollectedClientData, serialised the way browsers do: type, challenge, origin, crossOrigin. */
  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): Buffer {
    const data: Record<string, unknown> = {
      type: overrides.type ?? type,
      challenge: overrides.challenge ?? challenge,
      origin: overrides.origin ?? this.defaults.origin,
      crossOrigin: overrides.crossOrigin ?? false,
    };
    if (overrides.topOrigin !== undefined) data['topOrigin'] = overrides.topOrigin;
    return Buffer.from(JSON.stringify(data), 'utf8');
  }
}

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
