import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CheckpointError } from '@checkpoint/core';
import { guarded } from '../errors/refusal.js';
import type { Settings } from '../WebAuthnOptions.js';

/** @internal Which ceremony a challenge was issued for. */
export type CeremonyKind = 'registration' | 'authentication';

/** @internal Who a challenge was issued to, kept with it in the Store. */
export interface ChallengeBinding {
  kind: CeremonyKind;
  userId?: string;
  tenantId?: string;
  /** What the authentication approves; its hash is the challenge's last 32 bytes. */
  bind?: string;
}

const PREFIX: Record<CeremonyKind, string> = {
  registration: 'webauthn:reg:',
  authentication: 'webauthn:auth:',
};

/**
 * @internal
 * Keeps a challenge as a single-use ticket for `challengeTtlSeconds`. The challenge is the key:
 * the browser sends it back inside clientDataJSON, so no session is needed to find it.
 */
export async function keepChallenge(
  settings: Settings,
  challenge: string,
  binding: ChallengeBinding,
): Promise<void> {
  const kept = await guarded('storing the WebAuthn challenge', () =>
    settings.store.putTicket({
      key: PREFIX[binding.kind] + challenge,
      value: JSON.stringify(binding),
      ttlSeconds: settings.challengeTtlSeconds,
      now: settings.now(),
    }),
  );
  // 256 random bits do not collide; a taken key means something else wrote it.
  if (!kept) throw new CheckpointError('store_unavailable', 'the WebAuthn challenge key is taken');
}

/**
 * @internal
 * Takes the challenge out of the Store in one atomic step: of any number of concurrent
 * submissions of one response, exactly one gets the binding. Null when the challenge is unknown,
 * expired, already used, or was issued for the other ceremony.
 *
 * @see OWASP ASVS 5 V6.7.2, V15.4.2; SP 800-63B rev 4 §3.2.8 (replay resistance)
 */
export async function takeChallenge(
  settings: Settings,
  kind: CeremonyKind,
  challenge: string,
): Promise<ChallengeBinding | null> {
  const value = await guarded('taking the WebAuthn challenge', () =>
    settings.store.takeTicket(PREFIX[kind] + challenge, settings.now()),
  );
  if (value === null) return null;
  try {
    const binding = JSON.parse(value) as ChallengeBinding;
    return binding.kind === kind ? binding : null;
  } catch {
    return null;
  }
}

/**
 * @internal
 * A challenge that carries what it approves: 32 random bytes, then SHA-256 of `bind`. The
 * authenticator signs clientDataJSON, which holds the challenge, so the signature covers the
 * action too.
 */
export function boundChallenge(bind: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.concat([randomBytes(32), digest(bind)]));
}

/** @internal Whether a base64url challenge ends with the hash of `bind`. */
export function challengeCarries(challenge: string, bind: string): boolean {
  const bytes = Buffer.from(challenge, 'base64url');
  if (bytes.length !== 64) return false;
  return timingSafeEqual(bytes.subarray(32), digest(bind));
}

function digest(bind: string): Buffer {
  return createHash('sha256').update(bind, 'utf8').digest();
}
