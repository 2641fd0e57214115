import type { Tickets } from '@checkpoint/core';
import { SESSION_LIMITS } from '@checkpoint/policy';
import { userKey } from './controls/controlEvent.js';
import type { StepUpSession } from './session.js';

// A marker must outlive every session it can revoke: none lives longer than AAL1's absolute
// limit (30 days) after it last rose, and a revoked session cannot rise again.
const MARKER_TTL_SECONDS = SESSION_LIMITS[1].absoluteSeconds + 24 * 3_600;

/** What a user-wide revocation keeps: sessions signed in at or before `before` are over. */
interface UserMarker {
  before: number;
  /** The session that asked for it (a password change), which stays signed in. */
  keep?: string;
}

/**
 * @internal
 * Sign-outs and user-wide revocations (a password reset) recorded in the Store, where a stale
 * copy of a session cannot undo them: express-session lets an in-flight request save the copy
 * it loaded after the session was destroyed, so a sign-out kept only in the session is undone
 * by the next slow request. Every guarded request reads both markers (one round trip each, in
 * parallel).
 *
 * @see OWASP ASVS 5 V7.4.1 (logout invalidates the session on the server), V7.4.3 (terminate
 * other sessions after a credential change); NIST SP 800-63B rev 4 §5.1
 */
export class Revocations {
  constructor(
    private readonly tickets: Tickets,
    private readonly now: () => number,
  ) {}

  /** Records that the session with this key is signed out. */
  async signOut(sessionKey: string): Promise<void> {
    await this.tickets.put({
      key: `su:out:${sessionKey}`,
      value: String(this.now()),
      ttlSeconds: MARKER_TTL_SECONDS,
      replace: true,
    });
  }

  /** Revokes every session of a user signed in until now, except the one keyed `keep`. */
  async revokeUser(tenantId: string, userId: string, keep?: string): Promise<void> {
    const marker: UserMarker = { before: this.now(), ...(keep === undefined ? {} : { keep }) };
    await this.tickets.put({
      key: userKey('su:user', tenantId, userId),
      value: JSON.stringify(marker),
      ttlSeconds: MARKER_TTL_SECONDS,
      replace: true,
    });
  }

  /** Whether this session was signed out or revoked. A store failure rejects (fail closed). */
  async revoked(state: StepUpSession): Promise<boolean> {
    const [out, user] = await Promise.all([
      state.sessionKey === undefined
        ? Promise.resolve(null)
        : this.tickets.read(`su:out:${state.sessionKey}`),
      this.tickets.read(userKey('su:user', state.tenantId, state.userId)),
    ]);
    if (out !== null) return true;
    if (user === null) return false;
    const marker = parseMarker(user);
    if (marker === undefined) return true;
    if (marker.keep !== undefined && marker.keep === state.sessionKey) return false;
    return (state.signedInAt ?? 0) <= marker.before;
  }
}

function parseMarker(value: string): UserMarker | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<UserMarker>;
    return typeof parsed.before === 'number' ? (parsed as UserMarker) : undefined;
  } catch {
    return undefined;
  }
}
