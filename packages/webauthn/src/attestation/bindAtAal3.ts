import type { Aal3Binding, CredentialAttestation } from '../credentials/StoredCredential.js';
import { guarded } from '../errors/refusal.js';
import type { Settings } from '../WebAuthnOptions.js';

/**
 * @internal
 * Decides whether an AAL3-capable credential is bound at AAL3: yes from a session at AAL3 (the
 * user proved an AAL3 authenticator they already hold); otherwise only with the app's
 * out-of-band approval. Without either it stays an AAL2 credential, usable for AAL2.
 * `approveAal3Enrolment` failing is `store_unavailable`, never an approval.
 *
 * @see NIST SP 800-63B rev 4 §4.1 ("authenticated at the AAL … at which the new authenticator
 *   will be used", or an out-of-band binding)
 */
export async function bindAtAal3(
  settings: Settings,
  input: {
    userId: string;
    tenantId: string | undefined;
    attestation: CredentialAttestation;
    sessionAal: 0 | 1 | 2 | 3;
  },
): Promise<Aal3Binding | undefined> {
  const { userId, tenantId, attestation, sessionAal } = input;
  const held = await guarded('listing the user’s credentials', () =>
    settings.credentials.listByUser(userId),
  );
  const first = !held.some((credential) => credential.aal3 !== undefined);
  if (sessionAal === 3) return { at: settings.now(), approvedBy: 'aal3-session', first };

  const approve = settings.approveAal3Enrolment;
  if (approve === undefined) return undefined;
  const approval: unknown = await guarded('asking approveAal3Enrolment', async () =>
    approve({ userId, ...(tenantId === undefined ? {} : { tenantId }), attestation, first }),
  );
  if (approval === undefined || approval === null || approval === false) return undefined;
  const approvedBy = (approval as { approvedBy?: unknown }).approvedBy;
  if (typeof approvedBy !== 'string' || approvedBy === '') {
    throw new TypeError(
      'approveAal3Enrolment must resolve to { approvedBy: string } (who approved it) or undefined',
    );
  }
  return { at: settings.now(), approvedBy, first };
}
