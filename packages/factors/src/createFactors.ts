import type { AuditLog, SecretOption } from '@checkpoint/core';
import { FactorKeys } from './crypto/FactorKeys.js';
import {
  createRememberedDevices,
  type DeviceSettings,
  type RememberedDevices,
} from './devices/createRememberedDevices.js';
import type { FactorEvent } from './events/FactorEvent.js';
import {
  createRecoveryCodes,
  type RecoveryCodes,
  type RecoveryCodeSettings,
} from './recovery/createRecoveryCodes.js';
import type { AttemptLimit, AttemptLimiter, Runtime } from './runtime.js';
import type { FactorStore } from './store/FactorStore.js';
import { MemoryFactorStore } from './store/MemoryFactorStore.js';
import { createTotp, type TotpFactor, type TotpSettings } from './totp/createTotp.js';

/** Options of {@link createFactors}. */
export interface FactorsOptions {
  /** Server secret (≥ 32 bytes) or `[{ id, key }, …]` to rotate; `createCheckpoint`'s may be reused (keys are derived per use). */
  secret: SecretOption;
  /** The Checkpoint (`createCheckpoint()`): its Store counts code guesses per user, in every process. */
  checkpoint: AttemptLimiter;
  /** Where factor records live. @default new MemoryFactorStore() */
  store?: FactorStore;
  /** Authenticator apps (TOTP); `issuer` is required. */
  totp: TotpSettings;
  /** @default { count: 10 } */
  recoveryCodes?: RecoveryCodeSettings;
  /** @default { days: the tenant's rememberDeviceDays, secure: true } */
  devices?: DeviceSettings;
  /** Code guesses (TOTP and recovery codes, each counted apart) per user. @default { limit: 10, windowSeconds: 900 } */
  attempts?: AttemptLimit;
  /** Audit log that records every enrolment, removal, recovery-code use and device change. @default none */
  auditLog?: AuditLog;
  /** Called after each {@link FactorEvent}: announce it to the user on another channel. @default none */
  onEvent?: (event: FactorEvent) => void | Promise<void>;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** What {@link createFactors} returns. */
export interface Factors {
  totp: TotpFactor;
  recoveryCodes: RecoveryCodes;
  devices: RememberedDevices;
}

/**
 * A user's own factors besides codes sent to them: an authenticator app (TOTP, RFC 6238), single-use
 * recovery codes and remembered browsers, on a {@link FactorStore}.
 *
 * @example
 * const factors = createFactors({ secret, checkpoint, totp: { issuer: 'Acme Console' } });
 * const { qrSvg, id } = await factors.totp.enrol({ owner: { tenantId: 'acme', userId: 'u_42' }, accountName: 'ada@acme.example' });
 * @see RFC 6238; NIST SP 800-63B rev 4 §3.1.2 (look-up secrets), §3.1.4 (OTP), §4.1 (binding)
 */
export function createFactors(options: FactorsOptions): Factors {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createFactors requires { secret, checkpoint, totp: { issuer } }');
  }
  const {
    secret,
    checkpoint,
    store = new MemoryFactorStore(),
    totp,
    recoveryCodes,
    devices,
    attempts = { limit: 10, windowSeconds: 900 },
    auditLog,
    onEvent,
    now = Date.now,
  } = options;
  if (typeof checkpoint?.rateLimit !== 'function') {
    throw new TypeError(
      'createFactors requires { checkpoint }: the object createCheckpoint() returned (it counts code guesses)',
    );
  }
  if (typeof totp !== 'object' || totp === null) {
    throw new TypeError("createFactors requires { totp: { issuer: 'Your product' } }");
  }
  if (
    !Number.isInteger(attempts.limit) ||
    attempts.limit < 1 ||
    !Number.isInteger(attempts.windowSeconds) ||
    attempts.windowSeconds < 1
  ) {
    throw new TypeError(
      'createFactors attempts must be { limit, windowSeconds }, positive integers',
    );
  }
  const runtime: Runtime = {
    keys: new FactorKeys(secret),
    store,
    limiter: checkpoint,
    attempts,
    now,
    auditLog,
    onEvent,
  };
  return {
    totp: createTotp(runtime, totp),
    recoveryCodes: createRecoveryCodes(runtime, recoveryCodes),
    devices: createRememberedDevices(runtime, devices),
  };
}
