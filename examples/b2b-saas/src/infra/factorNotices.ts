import type { FactorEvent } from '@checkpoint/factors';
import type { Users } from '../data/Users.js';
import type { DevInbox } from './DevInbox.js';

/**
 * Tells the user, on the phone on file, about a change to their factors that no route announces
 * itself (NIST SP 800-63B rev 4 §4.1, §4.2). The step-up router's `/factors` routes and its
 * recovery-code check already send their notices through `createStepUp({ notify })`, and the
 * login route announces a recovery code it accepted (a `FactorEvent` does not say which of the two
 * spent a code, so announcing `recovery_code.used` here would send some notices twice). What is
 * left is a browser being remembered: it will skip the login's second factor from now on.
 * Never a code, a secret or a cookie: events carry none.
 */
export function announceFactorEvent(event: FactorEvent, users: Users, inbox: DevInbox): void {
  if (event.type !== 'device.remembered') return;
  const user = users.get(event.userId);
  if (user === undefined) return;
  const days = typeof event.data?.['days'] === 'number' ? event.data['days'] : undefined;
  inbox.notice(
    user.phone,
    `Acme Console: a browser was remembered${days === undefined ? '' : ` for ${days} days`}; it signs in without a code. Not you? Revoke it under Security → Remembered browsers.`,
  );
}

/** The login's own notice after a recovery code was accepted (the step-up router sends its own). */
export function announceRecoveryCodeLogin(
  inbox: DevInbox,
  phone: string,
  remaining: number | undefined,
): void {
  inbox.notice(
    phone,
    `Acme Console: a recovery code was used to sign in${remaining === undefined ? '' : ` (${remaining} left)`}. Not you? Change your password and make new codes.`,
  );
}

const BROWSERS = [
  ['Edg/', 'Edge'],
  ['Firefox/', 'Firefox'],
  ['Chrome/', 'Chrome'],
  ['Safari/', 'Safari'],
] as const;
const SYSTEMS = [
  ['Android', 'Android'],
  ['iPhone', 'iOS'],
  ['iPad', 'iPadOS'],
  ['Mac OS X', 'macOS'],
  ['Windows', 'Windows'],
  ['Linux', 'Linux'],
] as const;

/** A short label for a remembered browser ("Chrome on Linux"), from its user agent. */
export function browserLabel(userAgent: string | undefined): string {
  const agent = userAgent ?? '';
  const browser = BROWSERS.find(([token]) => agent.includes(token))?.[1] ?? 'A browser';
  const system = SYSTEMS.find(([token]) => agent.includes(token))?.[1];
  return system === undefined ? browser : `${browser} on ${system}`;
}
