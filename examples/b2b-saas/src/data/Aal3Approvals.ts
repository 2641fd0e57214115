import type { Aal3Approval, Aal3Candidate } from '@checkpoint/webauthn';

/**
 * Out-of-band approvals of a member's first AAL3 passkey, as a workspace's IT admin records them
 * (in person, a help-desk ticket): each approves one passkey binding for one member of one
 * workspace, and is spent by it. Passed to `createWebAuthn({ approveAal3Enrolment })`: a passkey
 * whose attestation proved a hardware model, enrolled from an AAL2 session (password + code),
 * is bound at AAL3 only with one of these. Later AAL3 passkeys are enrolled from an AAL3
 * session (the first passkey) and need none. In memory, like the rest of the demo's data.
 */
export class Aal3Approvals {
  private readonly pending = new Map<string, string>();

  /** Records that `approvedBy` approved the next AAL3 passkey of `userId` in `tenantId`. */
  approve(input: { tenantId: string; userId: string; approvedBy: string }): void {
    this.pending.set(`${input.tenantId}:${input.userId}`, input.approvedBy);
  }

  /** The approval for this candidate, spent; undefined when none was recorded. */
  take(candidate: Aal3Candidate): Aal3Approval | undefined {
    const key = `${candidate.tenantId ?? ''}:${candidate.userId}`;
    const approvedBy = this.pending.get(key);
    if (approvedBy === undefined) return undefined;
    this.pending.delete(key);
    return { approvedBy };
  }
}
