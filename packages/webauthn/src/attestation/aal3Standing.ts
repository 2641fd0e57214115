import type { StoredCredential } from '../credentials/StoredCredential.js';
import { type AttestationSettings, approvalOf } from './AttestationOptions.js';
import { compromiseOf } from './authenticatorStatus.js';
import { hardwareProtected } from './judgeAttestation.js';

/**
 * @internal
 * Whether a stored credential counts as device-bound now: it was bound at AAL3 on a verified
 * attestation, and the trust behind that attestation still holds — the metadata in use still
 * describes the model with hardware-protected keys (a metadata-trusted credential counts AAL2
 * while no BLOB is loaded), or its tenant still approves the model; and no status report in
 * effect says the model is compromised. A credential that fails this is not refused: it is
 * still a phishing-resistant AAL2 passkey.
 *
 * @see NIST SP 800-63B rev 4 §2.3; FIDO Metadata Service v3.0 §3.1.4 (status reports)
 */
export function aal3Standing(
  settings: AttestationSettings & { now: () => number },
  credential: StoredCredential,
): boolean {
  const { attested, aal3 } = credential;
  if (attested === undefined || aal3 === undefined) return false;
  const model = {
    aaguid: attested.aaguid,
    ...(attested.keyIdentifier === undefined ? {} : { keyIdentifier: attested.keyIdentifier }),
  };
  const entry = settings.metadata?.entryFor(model);
  if (compromiseOf(entry, settings.now()) !== undefined) return false;
  if (attested.trust === 'metadata') {
    const statement = entry?.metadataStatement;
    return statement !== undefined && hardwareProtected(statement.keyProtection);
  }
  return approvalOf(settings, credential.tenantId, attested.aaguid) !== undefined;
}
