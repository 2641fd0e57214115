import type { Aal, Factor } from './Factor.js';
import { ssoTrust } from './ssoTrust.js';
import type { TenantPolicy } from './TenantPolicy.js';

/** @internal What one counted factor brings to an assessment. */
export interface Contribution {
  factor: Factor;
  /** A knowledge factor pairs with a possession factor into AAL2; a multi-factor one stands alone. */
  kind: 'knowledge' | 'possession' | 'multi';
  /** The AAL reached with this factor alone. */
  alone: Aal;
  /** possession: may complete an AAL2 pair with a knowledge factor. */
  pairs: boolean;
  /** knowledge: a local password, the only knowledge factor that completes an AAL3 pair. */
  password: boolean;
  /** possession: a device-bound WebAuthn key, which with a local password reaches AAL3. */
  hardwareKey: boolean;
  phishingResistant: boolean;
  nonNist: boolean;
}

/** @internal NIST SP 800-63B rev 4 §3.1.3.2: out-of-band and OTP secrets of at least 6 digits (ASVS V6.5.4). */
export const MIN_AAL2_DIGITS = 6;

function possession(
  factor: Factor,
  pairs: boolean,
  extra: Partial<Contribution> = {},
): Contribution {
  return {
    factor,
    kind: 'possession',
    alone: 1,
    pairs,
    password: false,
    hardwareKey: false,
    phishingResistant: false,
    nonNist: false,
    ...extra,
  };
}

function fullLength(factor: Factor): boolean {
  const { codeLength } = factor;
  return (
    codeLength === undefined || (typeof codeLength === 'number' && codeLength >= MIN_AAL2_DIGITS)
  );
}

/**
 * @internal How `factor` counts for `tenant`, or undefined when it counts toward nothing. An email
 * code counts only with the tenant's opt-in (toward AAL2), or as proof of an address (AAL1 only)
 * where the caller accepts 'otp-email' by name; both are outside NIST.
 */
export function contributionOf(
  factor: Factor,
  tenant: TenantPolicy,
  emailProvesAddress: boolean,
): Contribution | undefined {
  switch (factor.method) {
    case 'pwd':
      return { ...possession(factor, false), kind: 'knowledge', password: true };
    case 'otp-sms':
    case 'otp-voice':
    case 'otp-whatsapp':
    case 'totp':
    case 'recovery-code':
      return possession(factor, fullLength(factor));
    case 'otp-email':
      if (tenant.emailOtpCountsAsFactor === true) {
        return possession(factor, fullLength(factor), { nonNist: true });
      }
      return emailProvesAddress ? possession(factor, false, { nonNist: true }) : undefined;
    case 'remembered-device':
      // A signed cookie from a browser that once passed a second factor: it stands in for that
      // factor at login only (buildCheckpoint refuses it elsewhere), and is not a NIST authenticator.
      return possession(factor, true, { nonNist: true });
    case 'webauthn': {
      const deviceBound = factor.deviceBound === true;
      if (factor.userVerified === true) {
        const alone = deviceBound ? 3 : 2;
        return { ...possession(factor, false), kind: 'multi', alone, phishingResistant: true };
      }
      return possession(factor, true, { hardwareKey: deviceBound, phishingResistant: true });
    }
    case 'sso': {
      const { aal: level, phishingResistant } = ssoTrust(factor, tenant);
      // Untrusted or unknown: the weakest method an IdP login can be, a password (ASVS V6.8.4),
      // but never the local password that completes an AAL3 pair.
      if (level < 2) return { ...possession(factor, false), kind: 'knowledge', phishingResistant };
      return {
        ...possession(factor, false),
        kind: 'multi',
        alone: level as Aal,
        phishingResistant,
      };
    }
    default:
      return undefined;
  }
}
