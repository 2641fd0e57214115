import type { KeyProtection, StatusReport } from '@simplewebauthn/server';
import type { AttestationSigner } from './attestationStatement.js';
import { metadataBlob, metadataEntry } from './metadataBlob.js';
import { type TestCertificate, testCertificate } from './testCertificate.js';

/**
 * An authenticator model of {@link createTestMetadata}.
 *
 * @example const model: TestAuthenticatorModel = { aaguid: SECURITY_KEY, keyProtection: ['hardware'] };
 * @see FIDO Metadata Statement v3.0 §4
 */
export interface TestAuthenticatorModel {
  aaguid: string;
  /** @default 'Test security key' */
  description?: string;
  /** @default ['hardware', 'secure_element'] */
  keyProtection?: KeyProtection[];
  /** @default [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' }] */
  statusReports?: StatusReport[];
}

/**
 * A stand-in for the FIDO Alliance and the makers it lists, for tests without a network: a
 * metadata root, a BLOB it signs, an attestation root, and attestation keys per model.
 *
 * @example
 * const fido = createTestMetadata({ authenticators: [{ aaguid: SECURITY_KEY }] });
 * const metadata = createFidoMetadata({ source: { read: async () => fido.blob() }, roots: [fido.root.pem] });
 * const key = new SoftwareAuthenticator({ origin, aaguid: SECURITY_KEY, attestation: fido.attestation(SECURITY_KEY) });
 */
export interface TestMetadata {
  /** The root the BLOB's signing chain leads to: `createFidoMetadata({ roots: [root.pem] })`. */
  root: TestCertificate;
  /** The root every model's attestation certificate chains to, listed in each statement. */
  attestationRoot: TestCertificate;
  /**
   * A BLOB signed under `root` (signing certificate, intermediate, root), describing `authenticators`
   * (those given to createTestMetadata by default) with serial number `no` (default 1).
   */
  blob(options?: { no?: number; authenticators?: readonly TestAuthenticatorModel[] }): string;
  /** The attestation key and x5c of a model, for `SoftwareAuthenticator({ attestation })`. */
  attestation(aaguid: string): AttestationSigner;
}

/**
 * Builds a {@link TestMetadata}: everything an attestation test needs, generated in the test.
 * Each model's attestation certificate carries its AAGUID (id-fido-gen-ce-aaguid) and chains to
 * the attestation root through an intermediate, as a maker's batch certificates do.
 *
 * @example const fido = createTestMetadata({ authenticators: [{ aaguid: SECURITY_KEY }] });
 * @see FIDO Metadata Service v3.0 §3.1.7; W3C WebAuthn Level 3 §8.2.1 (packed attestation certificates)
 */
export function createTestMetadata({
  authenticators,
  name = 'Checkpoint Test',
}: {
  authenticators: readonly TestAuthenticatorModel[];
  /** Prefix of the certificates' names. @default 'Checkpoint Test' */
  name?: string;
}): TestMetadata {
  const root = testCertificate({
    subject: { C: 'US', O: name, CN: `${name} Metadata Root` },
    ca: true,
  });
  const issuing = testCertificate({
    subject: { C: 'US', O: name, CN: `${name} Metadata CA` },
    issuer: root,
    ca: true,
  });
  const signing = testCertificate({
    subject: { C: 'US', O: name, CN: `${name} Metadata Signer` },
    issuer: issuing,
  });
  const attestationRoot = testCertificate({
    subject: { C: 'US', O: `${name} Keys`, CN: `${name} Attestation Root` },
    ca: true,
  });
  const batch = testCertificate({
    subject: { C: 'US', O: `${name} Keys`, CN: `${name} Attestation CA` },
    issuer: attestationRoot,
    ca: true,
  });
  const signers = new Map<string, AttestationSigner>();

  return {
    root,
    attestationRoot,
    blob({ no = 1, authenticators: models = authenticators } = {}) {
      const entries = models.map((model) =>
        metadataEntry({
          aaguid: model.aaguid,
          description: model.description ?? 'Test security key',
          attestationRoots: [attestationRoot],
          ...(model.keyProtection === undefined ? {} : { keyProtection: model.keyProtection }),
          ...(model.statusReports === undefined ? {} : { statusReports: model.statusReports }),
        }),
      );
      return metadataBlob({ signer: [signing, issuing, root], entries, no });
    },
    attestation(aaguid) {
      let signer = signers.get(aaguid);
      if (signer === undefined) {
        const leaf = testCertificate({
          subject: {
            C: 'US',
            O: `${name} Keys`,
            OU: 'Authenticator Attestation',
            CN: `${name} Key ${aaguid.slice(0, 8)}`,
          },
          issuer: batch,
          aaguid,
        });
        signer = { privateKey: leaf.privateKey, certificates: [leaf.der, batch.der] };
        signers.set(aaguid, signer);
      }
      return signer;
    },
  };
}
