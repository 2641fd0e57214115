import type { Aal } from './Factor.js';
import { checkAal, checkNow } from './guards.js';

/**
 * How long a session at a given AAL may live: since the last activity, and in all.
 *
 * @example const { inactivitySeconds } = sessionLimits(2); // 3600
 * @see NIST SP 800-63B rev 4 §2.1.3, §2.2.3, §2.3.3, §5.2
 */
export interface SessionLimits {
  inactivitySeconds: number;
  absoluteSeconds: number;
}

const HOUR = 3_600;
const DAY = 24 * HOUR;

/**
 * The default limits by AAL: AAL1 30 days in all (NIST sets no AAL1 inactivity limit, so it is the
 * same 30 days); AAL2 1 h of inactivity and 24 h in all; AAL3 15 min and 12 h.
 *
 * @example SESSION_LIMITS[3].absoluteSeconds; // 43200
 * @see NIST SP 800-63B rev 4 §2.1.3 (AAL1), §2.2.3 (AAL2), §2.3.3 (AAL3); OWASP ASVS 5 V7.3.1, V7.3.2
 */
export const SESSION_LIMITS: Readonly<Record<Aal, Readonly<SessionLimits>>> = Object.freeze({
  1: Object.freeze({ inactivitySeconds: 30 * DAY, absoluteSeconds: 30 * DAY }),
  2: Object.freeze({ inactivitySeconds: HOUR, absoluteSeconds: DAY }),
  3: Object.freeze({ inactivitySeconds: 15 * 60, absoluteSeconds: 12 * HOUR }),
});

/**
 * The inactivity and absolute limits of a session authenticated at `aal`.
 *
 * @example sessionLimits(3); // { inactivitySeconds: 900, absoluteSeconds: 43200 }
 * @see NIST SP 800-63B rev 4 §2.2.3, §2.3.3
 */
export function sessionLimits(aal: Aal): SessionLimits {
  return { ...SESSION_LIMITS[checkAal(aal, 'sessionLimits(aal)')] };
}

/**
 * A session's timing: the AAL it was authenticated at, when (reset on re-authentication), and
 * its last activity, in epoch milliseconds.
 *
 * @example const session: SessionTimes = { aal: 2, startedAt, lastActivityAt };
 * @see NIST SP 800-63B rev 4 §5.2
 */
export interface SessionTimes {
  aal: Aal;
  startedAt: number;
  lastActivityAt: number;
}

/**
 * Whether a session is over, and which limit ended it (`absolute` when both have passed).
 *
 * @example if (sessionExpired(session, now).expired) req.session.destroy(done);
 * @see NIST SP 800-63B rev 4 §5.2
 */
export type SessionExpiry =
  | { expired: false }
  | { expired: true; limit: 'inactivity' | 'absolute' };

/**
 * Tells whether a session has passed its inactivity or absolute limit at `now`. Exactly at a
 * limit the session is still alive; one millisecond later it is over. Times after `now` (clock
 * skew between servers) count as no time elapsed.
 *
 * @example sessionExpired({ aal: 2, startedAt: t, lastActivityAt: t }, t + 3_600_001); // { expired: true, limit: 'inactivity' }
 * @see NIST SP 800-63B rev 4 §2.2.3, §2.3.3, §5.2; OWASP ASVS 5 V7.3.1, V7.3.2
 */
export function sessionExpired(session: SessionTimes, now: number): SessionExpiry {
  checkNow(now, 'sessionExpired');
  if (typeof session !== 'object' || session === null) {
    throw new TypeError('sessionExpired needs { aal, startedAt, lastActivityAt }');
  }
  const limits = SESSION_LIMITS[checkAal(session.aal, 'sessionExpired session.aal')];
  const { startedAt, lastActivityAt } = session;
  if (!Number.isFinite(startedAt) || !Number.isFinite(lastActivityAt)) {
    throw new TypeError(
      'sessionExpired needs session.startedAt and session.lastActivityAt in epoch milliseconds',
    );
  }
  if (now - startedAt > limits.absoluteSeconds * 1000) return { expired: true, limit: 'absolute' };
  // Activity cannot predate the session's authentication.
  const idleSince = Math.max(startedAt, lastActivityAt);
  if (now - idleSince > limits.inactivitySeconds * 1000)
    return { expired: true, limit: 'inactivity' };
  return { expired: false };
}
