import { CheckpointError } from '@checkpoint/core';
import { evaluate } from '@checkpoint/policy';
import type { Request, RequestHandler } from 'express';
import { bindingHash } from './bindingHash.js';
import { type ChallengeDetails, challenge, detailsOf } from './challenge.js';
import { scopeOf } from './controls/controlEvent.js';
import {
  admitWithControls,
  refuseInCooldown,
  refuseWithinInterval,
} from './controls/guardControls.js';
import { currentSession } from './currentSession.js';
import type { StepUpHost } from './StepUpHost.js';

/** Options of `requireCheckpoint`. */
export interface RequireCheckpointOptions<Fields = unknown> {
  /**
   * Binds the step-up to this exact action: the fields returned (amount, payee, role, …) are
   * hashed (RFC 8785 canonical JSON) with the user and checkpoint. The code's message, the
   * passkey challenge or the page names the action when the step-up starts, and a grant is made
   * for that action only; each grant lets one request through. Return plain JSON values: a
   * value JSON cannot represent faithfully (a Map, a class instance, undefined) is a TypeError.
   */
  bind?: (req: Request) => Fields;
  /** What the user is approving, shown in the code's message and on the step-up page. */
  describe?: (fields: Fields, req: Request) => string;
}

/**
 * @internal
 * The guard behind `stepUp.requireCheckpoint(name)`: lets a request through when the signed-in
 * session meets the checkpoint (as the request's tenant defines it) — and, for a bound action,
 * when it also holds the single-use grant for this exact payload; otherwise answers the step-up
 * challenge and records the action as the one the next step-up will approve. The checkpoint's
 * controls (@checkpoint/policy's `resolveControls`) hold back a user in cool-down or within their
 * interval, and send its notices once the handler answered 2xx.
 */
export function requireCheckpointWith<Fields>(
  host: StepUpHost,
  paths: { page: string; api: string },
  name: string,
  { bind, describe }: RequireCheckpointOptions<Fields> = {},
): RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const current = await currentSession(req, host);
      if (current.state === undefined) {
        res
          .status(401)
          .json(
            current.why === 'login_required'
              ? { error: 'login_required', message: 'sign in first' }
              : { error: 'session_expired', message: 'the session timed out; sign in again' },
          );
        return;
      }
      const { state, tenant } = current;
      const resolved = host.resolve(name, tenant);
      // A new admin in cool-down is told so before being asked to step up for nothing.
      const scope = scopeOf(host, req, tenant, state.userId);
      if (await refuseInCooldown(host, res, scope, name)) return;
      const at = host.now();
      const result = evaluate(resolved, state, tenant, at);
      if (result.satisfied && (await refuseWithinInterval(host, res, scope, name))) return;
      if (bind === undefined) {
        if (!result.satisfied) {
          challenge(req, res, offeredIn(host, detailsOf(result)), paths);
        } else if (await admitWithControls(host, req, res, scope, { checkpoint: name })) {
          next();
        }
        return;
      }
      const fields = bind(req);
      const hash = hashOf(state.userId, name, fields);
      const summary = describe?.(fields, req);
      // Single use, atomically: of any number of requests with this payload, one gets through.
      if (result.satisfied && (await host.grants.take(state.sessionKey, name, hash))) {
        if (await admitWithControls(host, req, res, scope, { checkpoint: name, summary })) next();
        return;
      }
      await host.grants.setPending(state.sessionKey, name, {
        hash,
        ...(summary === undefined ? {} : { summary }),
      });
      const details: ChallengeDetails = result.satisfied
        ? {
            checkpoint: name,
            aal: resolved.aal,
            methods: resolved.methods,
            maxAge: resolved.maxAgeSeconds,
            phishingResistant: resolved.phishingResistant === true,
            reason: 'action_unconfirmed',
          }
        : detailsOf(result);
      challenge(
        req,
        res,
        { ...offeredIn(host, details), binding: summary === undefined ? {} : { summary } },
        paths,
      );
    })().catch(next);
  };
}

/**
 * The binding hash; a payload JSON cannot represent (say a field the request left out, read as
 * `undefined`) is the client's 400, not a 500 — nothing is approved for it either way.
 */
function hashOf(userId: string, checkpoint: string, fields: unknown): string {
  try {
    return bindingHash({ userId, checkpoint, fields });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CheckpointError('invalid_request', `${checkpoint}: ${error.message}`, {
      cause: error,
    });
  }
}

/** The challenge with only the methods this app can run. */
function offeredIn(host: StepUpHost, details: ChallengeDetails): ChallengeDetails {
  return { ...details, methods: host.offered(details.methods) };
}
