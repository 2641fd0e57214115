import { randomBytes } from 'node:crypto';
import type { VerificationRecord } from '../store/Store.js';

/** A fixed time the fixtures start from (epoch ms). */
export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

/**
 * A pending verification record for store tests: code hash `h:<code>` (stores compare opaque
 * strings; the keyed hashing itself is core's job), 5 attempts, 5 sends, 10 minutes.
 */
export function makeRecord(overrides: Partial<VerificationRecord> = {}): VerificationRecord {
  const destinationHash = overrides.destinationHash ?? randomBytes(24).toString('base64url');
  return {
    id: `vf_${destinationHash.slice(0, 4)}${randomBytes(16).toString('base64url')}`,
    tenantId: 'default',
    purpose: 'login',
    to: { phone: { e164: '+14155550100', country: 'US', callingCode: '1' } },
    destinationHash,
    channels: ['sms', 'voice'],
    channel: 'sms',
    status: 'pending',
    attempts: 0,
    maxAttempts: 5,
    sends: 1,
    maxSends: 5,
    resendCooldownSeconds: 30,
    codeLength: 6,
    locale: 'en',
    codeHashes: ['h:123456'],
    failureLimit: 20,
    failureWindowSeconds: 86_400,
    failureLockSeconds: 300,
    createdAt: T0,
    expiresAt: T0 + 600_000,
    lastSentAt: T0,
    deliveries: [],
    ...overrides,
  };
}
