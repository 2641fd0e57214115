import { CheckpointError, isCheckpointError, type AuditLog } from '@checkpoint/core';
import type { FactorKeys } from './crypto/FactorKeys.js';
import type { FactorEvent } from './events/FactorEvent.js';
import type { FactorOwner, FactorStore } from './store/FactorStore.js';

/** The part of a Checkpoint (`createCheckpoint()`) this package counts guesses with. */
export interface AttemptLimiter {
  rateLimit(input: {
    key: string;
    limit: number;
    windowSeconds: number;
    cost?: 0 | 1;
  }): Promise<{ allowed: true } | { allowed: false; retryAfter: number }>;
  /** The tenant's effective config: `rememberDeviceDays` is the default of `devices.days`. */
  config?(tenantId: string): Promise<{ rememberDeviceDays: number }>;
}

/** A window limit: at most `limit` per `windowSeconds`. */
export interface AttemptLimit {
  limit: number;
  windowSeconds: number;
}

/** @internal What the factor modules share. */
export interface Runtime {
  keys: FactorKeys;
  store: FactorStore;
  limiter: AttemptLimiter;
  attempts: AttemptLimit;
  now: () => number;
  auditLog: AuditLog | undefined;
  onEvent: ((event: FactorEvent) => unknown) | undefined;
}

/** @internal A store call; anything it throws is `store_unavailable`, never a pass. */
export async function stored<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isCheckpointError(error)) throw error;
    throw new CheckpointError('store_unavailable', `the factor store failed (${what})`, {
      cause: error,
    });
  }
}

/** @internal Throws unless `owner` names a tenant and a user. */
export function checkOwner(owner: unknown, caller: string): FactorOwner {
  const value = owner as Partial<FactorOwner> | null | undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.tenantId !== 'string' ||
    value.tenantId === '' ||
    typeof value.userId !== 'string' ||
    value.userId === '' ||
    value.userId.length > 256 ||
    value.tenantId.length > 128
  ) {
    throw new CheckpointError(
      'invalid_request',
      `${caller} needs { owner: { tenantId, userId } } with non-empty strings`,
    );
  }
  return { tenantId: value.tenantId, userId: value.userId };
}

/** @internal The context a sealed value or a hash is bound to. */
export function ownerContext(kind: string, owner: FactorOwner, id = ''): string {
  return [kind, owner.tenantId, owner.userId, id].join('\u0000');
}

/**
 * @internal
 * Counts one attempt on `kind` for the owner; too many in the window is `rate_limited`. Every
 * attempt counts, right or wrong, so parallel guesses cannot slip past the limit between a
 * check and an increment.
 */
export async function countAttempt(
  runtime: Runtime,
  kind: string,
  owner: FactorOwner,
): Promise<void> {
  const key = `factors:${kind}:${runtime.keys.digest('owner', ownerContext(kind, owner))}`;
  const result = await runtime.limiter.rateLimit({ key, ...runtime.attempts, cost: 1 });
  if (!result.allowed) {
    throw new CheckpointError('rate_limited', `too many ${kind} attempts; try again later`, {
      retryAfter: result.retryAfter,
      reasons: [`factors:${kind}`],
    });
  }
}
