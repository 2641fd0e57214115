import { createHash, randomBytes } from 'node:crypto';
import type { ControlEventType } from '@checkpoint/core';
import type { TenantPolicy } from '@checkpoint/policy';
import type { Request } from 'express';
import type { StepUpHost } from '../StepUpHost.js';

/** @internal Who a control acts for: the request's audit tenant, the policy's tenant and the user. */
export interface ControlScope {
  /** The tenant the audit events are recorded under: `tenantId(req)`, else the policy's id. */
  auditTenant: string;
  tenant: TenantPolicy;
  /** The app's id of the signed-in user. */
  userId: string;
}

/** @internal The scope of a signed-in request. */
export function scopeOf(
  host: StepUpHost,
  req: Request,
  tenant: TenantPolicy,
  userId: string,
): ControlScope {
  return { auditTenant: host.tenantId(req) ?? tenant.id, tenant, userId };
}

/**
 * @internal
 * A Store key for (tenant, user): hashed, so that any user id fits a ticket key and none can
 * reach into another tenant's keys. Sign-outs (revocations.ts) and the controls key by it.
 */
export function userKey(prefix: string, tenant: TenantPolicy | string, userId: string): string {
  const tenantId = typeof tenant === 'string' ? tenant : tenant.id;
  const digest = createHash('sha256').update(`${tenantId}\u0000${userId}`).digest('base64url');
  return `${prefix}:${digest}`;
}

/**
 * @internal
 * Appends a control's audit event to the Checkpoint's audit log, as the factor events are: the
 * checkpoint as `purpose`, the app's user id in `data.userId`, masked values only.
 */
export async function recordControl(
  host: StepUpHost,
  scope: ControlScope,
  event: {
    type: ControlEventType;
    checkpoint: string;
    result?: string;
    data?: Record<string, string | number | boolean>;
  },
): Promise<string> {
  const id = `ae_${randomBytes(16).toString('base64url')}`;
  await host.checkpoint.auditLog.append({
    id,
    type: event.type,
    at: host.now(),
    tenantId: scope.auditTenant,
    purpose: event.checkpoint,
    ...(event.result === undefined ? {} : { result: event.result }),
    data: { userId: scope.userId, ...event.data },
  });
  return id;
}
