import { CheckpointError } from '@checkpoint/core';
import { resolveControls } from '@checkpoint/policy';
import type { Request, RequestHandler } from 'express';
import { currentSession } from '../currentSession.js';
import type { StepUpHost } from '../StepUpHost.js';
import { type ControlScope, recordControl, scopeOf } from './controlEvent.js';
import { Cooldowns } from './Cooldowns.js';
import { passedCheckpoint, refuseCooldown } from './guardControls.js';

/** What a new admin's role grant started. */
export interface RoleGranted {
  /** Epoch ms the new admin's cool-down ends; undefined when the tenant has none. */
  until?: number;
  /** The `checkpoint.cooldown_started` audit event, when a cool-down started. */
  auditEventId?: string;
}

/** What {@link StepUpControls.approveCooldown} came to. */
export type CooldownApproval =
  | { approved: true; auditEventId: string }
  | {
      approved: false;
      /**
       * `no_cooldown`: the user is not in one; `self_approval`: the new admin asked;
       * `granted_by_approver`: the admin who granted the role asked; `approver_in_cooldown`: the
       * approver is a new admin too.
       */
      reason: 'no_cooldown' | 'self_approval' | 'granted_by_approver' | 'approver_in_cooldown';
    };

/** An API key as the audit trail records it: never the key itself. */
export interface ApiKeyRecord {
  /** The key's public id (what the app shows in its key list), not the secret. */
  keyId: string;
  /** What the key may do. */
  scopes: readonly string[];
  /** When it stops working (epoch ms or a Date); null for a key that never expires. */
  expiresAt: number | Date | null;
}

/** The controls half of {@link StepUp}: cool-downs and API key audit. */
export interface StepUpControls {
  /**
   * Middleware for a privileged route not behind a checkpoint: refuses (403 `cooldown_active`,
   * with `Retry-After`) a user whose admin role is still in its cool-down.
   */
  requirePrivileged: () => RequestHandler;
  /**
   * After a route guarded by `requireCheckpoint('admin_role_grant')` granted `userId` a role:
   * starts the new admin's cool-down as the tenant's controls set it (24 h by default).
   */
  roleGranted: (req: Request, grant: { userId: string; role: string }) => Promise<RoleGranted>;
  /**
   * Ends `userId`'s cool-down on the signed-in admin's approval; refused for the new admin
   * themself, the admin who granted the role, and an approver in cool-down. Guard the route
   * with your admin check (and a checkpoint).
   */
  approveCooldown: (req: Request, input: { userId: string }) => Promise<CooldownApproval>;
  /** After a route guarded by `requireCheckpoint('api_key_create')` created a key: audits `api_key.created`. */
  apiKeyCreated: (req: Request, key: ApiKeyRecord) => Promise<{ auditEventId: string }>;
  /** After such a route rotated a key: audits `api_key.rotated` (the new key, and the one it replaces). */
  apiKeyRotated: (
    req: Request,
    key: ApiKeyRecord & { previousKeyId: string },
  ) => Promise<{ auditEventId: string }>;
}

const KEY_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const SCOPE = /^[\x21-\x7e]{1,128}$/;

/** @internal The cool-down and API key calls of a StepUp. */
export function controlsApi(host: StepUpHost): StepUpControls {
  const cooldowns = new Cooldowns(host.checkpoint.tickets, host.now);

  const signedIn = async (req: Request, caller: string): Promise<ControlScope> => {
    const current = await currentSession(req, host);
    if (current.state === undefined)
      throw new CheckpointError('not_found', `${caller}: no signed-in user`);
    return scopeOf(host, req, current.tenant, current.state.userId);
  };

  const afterCheckpoint = (req: Request, name: string, caller: string) => {
    if (!passedCheckpoint(req, name)) {
      throw new TypeError(
        `${caller} must be called in a route guarded by stepUp.requireCheckpoint('${name}'), after the action succeeded`,
      );
    }
  };

  async function apiKeyEvent(
    req: Request,
    type: 'api_key.created' | 'api_key.rotated',
    key: ApiKeyRecord & { previousKeyId?: string },
  ) {
    const caller = type === 'api_key.created' ? 'apiKeyCreated' : 'apiKeyRotated';
    afterCheckpoint(req, 'api_key_create', caller);
    const { keyId, scopes, expiresAt, previousKeyId } = key;
    for (const [field, value] of [
      ['keyId', keyId],
      ['previousKeyId', previousKeyId],
    ] as const) {
      if (
        (field === 'keyId' || type === 'api_key.rotated') &&
        (typeof value !== 'string' || !KEY_ID.test(value))
      ) {
        throw new TypeError(
          `${caller} needs { ${field} }: the key's public id (1-128 letters, digits or _ . : -), never the key itself`,
        );
      }
    }
    if (
      !Array.isArray(scopes) ||
      !scopes.every((scope) => typeof scope === 'string' && SCOPE.test(scope))
    ) {
      throw new TypeError(`${caller} needs { scopes }: a list of the key's scopes`);
    }
    const expires = expiresAt === null ? null : new Date(expiresAt);
    if (expires !== null && Number.isNaN(expires.getTime())) {
      throw new TypeError(
        `${caller} needs { expiresAt }: epoch ms, a Date, or null for a key that never expires`,
      );
    }
    const scope = await signedIn(req, caller);
    const auditEventId = await recordControl(host, scope, {
      type,
      checkpoint: 'api_key_create',
      result: type === 'api_key.created' ? 'created' : 'rotated',
      data: {
        keyId,
        scopes: scopes.join(' '),
        expiresAt: expires === null ? 'never' : expires.toISOString(),
        ...(previousKeyId === undefined ? {} : { previousKeyId }),
      },
    });
    return { auditEventId };
  }

  return {
    requirePrivileged: () => (req, res, next) => {
      void (async () => {
        const current = await currentSession(req, host);
        if (current.state === undefined) {
          res.status(401).json({ error: 'login_required', message: 'sign in first' });
          return;
        }
        const scope = scopeOf(host, req, current.tenant, current.state.userId);
        const cooldown = await cooldowns.active(scope.tenant, scope.userId);
        if (cooldown !== undefined) {
          await refuseCooldown(host, res, scope, 'privileged', cooldown);
          return;
        }
        next();
      })().catch(next);
    },

    async roleGranted(req, { userId, role }) {
      afterCheckpoint(req, 'admin_role_grant', 'roleGranted');
      if (typeof userId !== 'string' || userId === '' || typeof role !== 'string' || role === '') {
        throw new TypeError(
          'roleGranted needs { userId, role }: the new admin and the role granted',
        );
      }
      const scope = await signedIn(req, 'roleGranted');
      const controls = resolveControls('admin_role_grant', scope.tenant);
      if (controls.cooldownSeconds === 0) return {};
      const until = host.now() + controls.cooldownSeconds * 1000;
      await cooldowns.start(scope.tenant, userId, {
        until,
        grantedBy: scope.userId,
        role,
        checkpoints: controls.cooldownCheckpoints,
      });
      const auditEventId = await recordControl(
        host,
        { ...scope, userId },
        {
          type: 'checkpoint.cooldown_started',
          checkpoint: 'admin_role_grant',
          result: 'started',
          data: { role, grantedBy: scope.userId, until: new Date(until).toISOString() },
        },
      );
      return { until, auditEventId };
    },

    async approveCooldown(req, { userId }) {
      const scope = await signedIn(req, 'approveCooldown');
      const cooldown = await cooldowns.active(scope.tenant, userId);
      const refused = (reason: Exclude<CooldownApproval, { approved: true }>['reason']) =>
        recordControl(
          host,
          { ...scope, userId },
          {
            type: 'checkpoint.cooldown_refused',
            checkpoint: 'admin_role_grant',
            result: reason,
            data: { approver: scope.userId },
          },
        ).then(() => ({ approved: false as const, reason }));
      if (cooldown === undefined) return { approved: false, reason: 'no_cooldown' };
      // Four eyes: neither the new admin nor whoever granted the role can end the wait.
      if (userId === scope.userId) return refused('self_approval');
      if (cooldown.grantedBy === scope.userId) return refused('granted_by_approver');
      if ((await cooldowns.active(scope.tenant, scope.userId)) !== undefined) {
        return refused('approver_in_cooldown');
      }
      if (!(await cooldowns.end(scope.tenant, userId)))
        return { approved: false, reason: 'no_cooldown' };
      const auditEventId = await recordControl(
        host,
        { ...scope, userId },
        {
          type: 'checkpoint.cooldown_approved',
          checkpoint: 'admin_role_grant',
          result: 'approved',
          data: { approver: scope.userId, role: cooldown.role, grantedBy: cooldown.grantedBy },
        },
      );
      return { approved: true, auditEventId };
    },

    apiKeyCreated: (req, key) => apiKeyEvent(req, 'api_key.created', key),
    apiKeyRotated: (req, key) => apiKeyEvent(req, 'api_key.rotated', key),
  };
}
