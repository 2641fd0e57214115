import { CheckpointError } from '@checkpoint/core';
import { evaluate } from '@checkpoint/policy';
import type { WebAuthn } from '@checkpoint/webauthn';
import type { Request, Router } from 'express';
import { handler } from '../../http/handler.js';
import { detailsOf } from '../challenge.js';
import { safeReturnTo } from '../safeReturnTo.js';
import type { StepUpSession } from '../session.js';
import type { StepUpHost } from '../StepUpHost.js';
import { StepUpNeeded } from '../StepUpNeeded.js';
import { bodyOf } from './body.js';

/**
 * @internal
 * Passkey step-up: `POST /:checkpoint/webauthn/options` starts it — the challenge carries the
 * hash of the attempt and of the action waiting for the step-up — and
 * `POST /:checkpoint/webauthn/verify` `{ response, returnTo? }` checks the assertion for the
 * signed-in user (another user's credential is refused) and grants that action only.
 */
export function webauthnRoutes(router: Router, host: StepUpHost): void {
  router.post(
    '/:checkpoint/webauthn/options',
    handler(async (req, res) => {
      const { state, name } = await host.target(req);
      const passkeys = passkeysOf(host.webauthn);
      const { id, attempt } = await host.begin(state, name);
      res.json(
        await passkeys.authenticationOptions({
          userId: state.userId,
          tenantId: state.tenantId,
          bind: `${id}:${attempt.action?.hash ?? ''}`,
        }),
      );
    }),
  );

  router.post(
    '/:checkpoint/webauthn/verify',
    handler(async (req, res) => {
      const { state, name, tenant } = await host.target(req);
      const body = bodyOf(req.body);
      const result = await passkeysOf(host.webauthn).verifyAuthentication({
        userId: state.userId,
        tenantId: state.tenantId,
        response: body.response,
      });
      const [id = '', hash = ''] = (result.bound ?? '').split(':');
      const attempt = await host.grants.finish(id, state.sessionKey, name);
      // The challenge the user signed names the action; the attempt must name the same one.
      const named = attempt !== undefined && (attempt.action?.hash ?? '') === hash;
      const outcome = await host.stepUpWith(
        req,
        name,
        { ...result.factor, at: host.now() },
        tenant,
        named ? attempt : undefined,
      );
      res.json({
        status: 'approved',
        ...outcome,
        aal: result.factor.aal,
        returnTo: safeReturnTo(body.returnTo),
      });
    }),
  );
}

/**
 * @internal
 * Passkey enrolment, behind a fresh `contact_change` step-up (adding an authenticator is a change
 * of credentials): `POST /passkeys/register/options|verify`. The user is told on the destination
 * on file (NIST SP 800-63B rev 4 §4.1).
 */
export function passkeyEnrolment(router: Router, host: StepUpHost): void {
  const enrolling = async (req: Request): Promise<StepUpSession> => {
    const state = host.signedIn(req);
    const result = evaluate('contact_change', state, await host.tenantPolicy(req), host.now());
    if (!result.satisfied) throw new StepUpNeeded(detailsOf(result));
    return state;
  };

  router.post(
    '/passkeys/register/options',
    handler(async (req, res) => {
      const state = await enrolling(req);
      res.json(
        await passkeysOf(host.webauthn).registrationOptions({
          userId: state.userId,
          tenantId: state.tenantId,
          userName: await host.userName(req, state.userId),
        }),
      );
    }),
  );

  router.post(
    '/passkeys/register/verify',
    handler(async (req, res) => {
      const state = await enrolling(req);
      const credential = await passkeysOf(host.webauthn).verifyRegistration({
        userId: state.userId,
        tenantId: state.tenantId,
        response: bodyOf(req.body).response,
      });
      const to = host.notify === undefined ? undefined : await host.destination(req, state.userId);
      if (host.notify !== undefined && to !== undefined) {
        await host.notify({
          userId: state.userId,
          to,
          changedTo: 'a new passkey',
          text: `A passkey was added to ${host.appName}. If this was not you, contact support now.`,
        });
      }
      res.status(201).json({
        id: credential.id,
        deviceType: credential.deviceType,
        backedUp: credential.backedUp,
      });
    }),
  );
}

function passkeysOf(webauthn: WebAuthn | undefined): WebAuthn {
  if (webauthn === undefined) {
    throw new CheckpointError('not_found', 'passkeys are not configured here');
  }
  return webauthn;
}
