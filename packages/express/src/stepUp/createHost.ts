import { CheckpointError } from '@checkpoint/core';
import type { SsoSubject } from '@checkpoint/oidc';
import { assuranceOf, evaluate, resolveCheckpoint, type TenantPolicy } from '@checkpoint/policy';
import type { Request } from 'express';
import { Grants } from './grants.js';
import { offeredMethods } from './methods.js';
import { recordFactor } from './recordFactor.js';
import { Revocations } from './revocations.js';
import { readState, type StepUpSession } from './session.js';
import type { StepUpHost, StepUpOutcome } from './StepUpHost.js';
import { recordControl, scopeOf } from './controls/controlEvent.js';
import type { StepUpOptions } from './StepUpOptions.js';

/**
 * @internal
 * The options of `createStepUp` with their defaults, and what every step-up route shares: the
 * Store-backed grants and revocations, the signed-in session, the checkpoint as the tenant
 * defines it, the methods this app offers, and recording a proof (with its grant).
 */
export function createHost(options: StepUpOptions): StepUpHost {
  const {
    checkpoint,
    destination,
    tenantPolicy = () => ({ id: 'default' }),
    tenantId = () => undefined,
    now = Date.now,
    notify,
    appName = 'your account',
    webauthn,
    userName = (_req: Request, userId: string) => userId,
    sso,
    ssoUserId = (subject: SsoSubject) => subject.key,
    factors,
    contacts,
  } = options;
  const grants = new Grants(checkpoint.tickets);
  const revocations = new Revocations(checkpoint.tickets, now);
  const capabilities = {
    media: new Set(checkpoint.channels.map((channel) => channel.medium)),
    webauthn: webauthn !== undefined,
    sso: sso !== undefined,
    factors: factors !== undefined,
  };

  const signedIn = (req: Request) => {
    const state = readState(req);
    if (state?.sessionKey === undefined) {
      throw new CheckpointError('not_found', 'no signed-in user to step up');
    }
    return state as StepUpSession & { sessionKey: string };
  };

  const resolve = (name: string, tenant: TenantPolicy) => {
    try {
      return resolveCheckpoint(name, tenant);
    } catch (error) {
      throw new CheckpointError('not_found', `no checkpoint named '${name}' for this tenant`, {
        cause: error,
      });
    }
  };

  const host: StepUpHost = {
    checkpoint,
    destination,
    tenantPolicy,
    tenantId,
    now,
    notify,
    appName,
    webauthn,
    userName,
    sso,
    ssoUserId,
    factors,
    contacts,
    grants,
    revocations,
    signedIn,
    resolve,
    offered: (methods) => offeredMethods(methods, capabilities),
    async target(req) {
      const state = signedIn(req);
      const name = String(req.params.checkpoint);
      const tenant = await tenantPolicy(req);
      return { state, name, tenant, resolved: resolve(name, tenant) };
    },
    async begin(state, name, id) {
      const action = await grants.pending(state.sessionKey, name);
      const attempt = {
        sessionKey: state.sessionKey,
        userId: state.userId,
        checkpoint: name,
        ...(action === undefined ? {} : { action }),
      };
      return { id: await grants.begin(attempt, id), attempt };
    },
    async stepUpWith(req, name, proved, tenant, attempt) {
      const at = now();
      const updated = await recordFactor(req, proved, { tenant, now: at });
      const sessionKey = updated.sessionKey as string;
      const resolved = resolve(name, tenant);
      // The user approved the action this step-up named, with a fresh factor: that approval is
      // granted now even when the checkpoint still needs another factor (a password re-entered
      // next, say) — the guard lets it through only once the session meets the checkpoint too.
      const named = attempt?.action;
      if (named !== undefined) {
        await grants.grant(sessionKey, name, named.hash, resolved.maxAgeSeconds);
      }
      // Whatever waits now must be what the step-up named; anything else gets nothing.
      const waiting = await grants.pending(sessionKey, name);
      const outcome: StepUpOutcome =
        waiting !== undefined && waiting.hash !== named?.hash
          ? {
              satisfied: false,
              reason: attempt === undefined ? 'action_unconfirmed' : 'action_changed',
            }
          : { satisfied: evaluate(resolved, updated, tenant, at).satisfied };
      // The audit trail of step-ups by method (and the uptake metrics read from it).
      const alone = assuranceOf([proved], tenant, { now: at });
      await recordControl(host, scopeOf(host, req, tenant, updated.userId), {
        type: 'checkpoint.stepped_up',
        checkpoint: name,
        result: proved.method,
        data: {
          method: proved.method,
          aal: alone.aal,
          phishingResistant: alone.phishingResistant,
          satisfied: outcome.satisfied,
          ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        },
      });
      return outcome;
    },
    async announce(req, userId, what, text) {
      const to = notify === undefined ? undefined : await destination(req, userId);
      if (notify !== undefined && to !== undefined) {
        await notify({
          userId,
          to,
          changedTo: what,
          text: `${text} on ${appName}. If this was not you, contact support now.`,
        });
      }
    },
  };

  return host;
}
