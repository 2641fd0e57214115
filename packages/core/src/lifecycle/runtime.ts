import { randomToken } from '../codes/randomToken.js';
import type { AuditEvent, AuditLog } from '../audit/AuditEvent.js';
import type { Channel } from '../channels/Channel.js';
import type { MessageOptions } from '../channels/renderMessage.js';
import type { Clock } from '../clock/Clock.js';
import type { RandomInt } from '../codes/generateCode.js';
import type { Keyring } from '../codes/keyring.js';
import { mergeConfig, type TenantConfig } from '../config/TenantConfig.js';
import type { LookupProvider } from '../destination/lookupPhone.js';
import { CheckpointError, isCheckpointError } from '../errors/CheckpointError.js';
import type { Scheduler } from '../scheduler/Scheduler.js';
import type { Store } from '../store/Store.js';
import type { Logger } from './Logger.js';
import type { SendGuard } from './SendGuard.js';
import type { ApprovalTallies } from '../pumping/approvalTallies.js';

/** @internal Everything the lifecycle functions share; built once by createCheckpoint. */
export interface Runtime {
  store: Store;
  auditLog: AuditLog;
  scheduler: Scheduler;
  clock: Clock;
  keyring: Keyring;
  random: RandomInt;
  channels: ReadonlyMap<string, Channel>;
  defaults: TenantConfig;
  logger: Logger;
  message: MessageOptions;
  lookupProvider: LookupProvider | undefined;
  guards: readonly SendGuard[];
  /** Approvals queued for the pumping guards' conversion tallies. */
  approvals: ApprovalTallies;
}

/** The tenant every app has without configuring it. */
export const DEFAULT_TENANT = 'default';

/**
 * @internal
 * Runs a store operation; anything it throws that is not already a CheckpointError becomes
 * `store_unavailable`. Fail closed: an outage never reads as an approval.
 */
export async function storeCall<T>(
  runtime: Runtime,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isCheckpointError(error)) throw error;
    runtime.logger.error({ err: describe(error), operation }, 'checkpoint store operation failed');
    throw new CheckpointError(
      'store_unavailable',
      `the verification store is unavailable (${operation}); nothing was approved`,
      {
        cause: error,
      },
    );
  }
}

/**
 * @internal
 * Appends an audit event and returns its id. An audit sink failure is logged, not thrown: the
 * decision it records has already been made atomically in the store.
 */
export async function recordEvent(
  runtime: Runtime,
  event: Omit<AuditEvent, 'id' | 'at'> & { at?: number },
): Promise<string> {
  const full: AuditEvent = {
    id: `ae_${randomToken(16)}`,
    at: runtime.clock.now(),
    ...event,
  };
  try {
    await runtime.auditLog.append(full);
  } catch (error) {
    runtime.logger.error(
      { err: describe(error), eventId: full.id, type: full.type },
      'checkpoint audit append failed',
    );
  }
  return full.id;
}

/**
 * @internal
 * The effective config of a tenant. The `default` tenant always exists; any other must have been
 * configured first, so a typo in a tenant id cannot silently get the defaults.
 */
export async function tenantConfig(runtime: Runtime, tenantId: string): Promise<TenantConfig> {
  const overrides = await storeCall(runtime, 'getTenantConfig', () =>
    runtime.store.getTenantConfig(tenantId),
  );
  if (overrides === null && tenantId !== DEFAULT_TENANT) {
    throw new CheckpointError(
      'not_found',
      `unknown tenant '${tenantId}': call configure('${tenantId}', {…}) first`,
    );
  }
  return mergeConfig(runtime.defaults, overrides);
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'unknown', message: String(error) };
}

/**
 * @internal
 * Schedules or cancels a timer, best effort: the decision it follows is already stored, expiry is
 * enforced by every check anyway, and a lost fallback timer costs a fallback, not safety. A
 * scheduler failure is logged, not thrown, so a delivered code is never reported as a failed send.
 */
export async function timers(
  runtime: Runtime,
  operation: string,
  run: (scheduler: Scheduler) => Promise<void>,
): Promise<void> {
  try {
    await run(runtime.scheduler);
  } catch (error) {
    runtime.logger.error(
      { err: describe(error), operation },
      'checkpoint scheduler operation failed',
    );
  }
}
