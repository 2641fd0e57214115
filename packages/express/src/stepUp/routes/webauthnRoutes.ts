import { randomBytes } from 'node:crypto';
import { CheckpointError } from '@checkpoint/core';
import { assuranceOf, evaluate, type TenantPolicy } from '@checkpoint/policy';
import type { StoredCredential, WebAuthn } from '@checkpoint/webauthn';
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
 * of credentials): `POST /passkeys/register/options|verify`. A passkey whose attestation proved
 * it AAL3-capable is bound at AAL3 only when the session is at AAL3 as freshly as
 * `contact_change` asks, or with @checkpoint/webauthn's `approveAal3Enrolment`; otherwise it
 * counts at AAL2. The user is told on the destination on file, the account's first AAL3
 * authenticator in so many words, and the enrolment is audited as `factor.enrolled`
 * (NIST SP 800-63B rev 4 §4.1).
 */
export function passkeyEnrolment(router: Router, host: StepUpHost): void {
  const enrolling = async (
    req: Request,
  ): Promise<{ state: StepUpSession; tenant: TenantPolicy }> => {
    const state = host.signedIn(req);
    const tenant = await host.tenantPolicy(req);
    const result = evaluate('contact_change', state, tenant, host.now());
    if (!result.satisfied) throw new StepUpNeeded(detailsOf(result));
    return { state, tenant };
  };

  router.post(
    '/passkeys/register/options',
    handler(async (req, res) => {
      const { state } = await enrolling(req);
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
      const { state, tenant } = await enrolling(req);
      const now = host.now();
      // Binding an authenticator that will count at AAL3 needs the session at AAL3 (an AAL3
      // key the user already holds), within the enrolment's own freshness window.
      const maxAgeSeconds = host.resolve('contact_change', tenant).maxAgeSeconds;
      const sessionAal = assuranceOf(state.factors, tenant, { now, maxAgeSeconds }).aal;
      const credential = await passkeysOf(host.webauthn).verifyRegistration({
        userId: state.userId,
        tenantId: state.tenantId,
        response: bodyOf(req.body).response,
        sessionAal,
      });
      await announceEnrolment(req, host, state, credential);
      res.status(201).json({
        id: credential.id,
        deviceType: credential.deviceType,
        backedUp: credential.backedUp,
        attested: credential.attested !== undefined,
        maxAal: credential.aal3 === undefined ? 2 : 3,
      });
    }),
  );
}

/** Tells the user a passkey was added (saying so when it is their first AAL3 one), and audits it. */
async function announceEnrolment(
  req: Request,
  host: StepUpHost,
  state: StepUpSession,
  credential: StoredCredential,
): Promise<void> {
  const { aal3, attested } = credential;
  const to = host.notify === undefined ? undefined : await host.destination(req, state.userId);
  if (host.notify !== undefined && to !== undefined) {
    const strength =
      aal3 === undefined
        ? ''
        : aal3.first
          ? ', approved as your account’s first AAL3 authenticator (for admin actions)'
          : '; it counts at AAL3 (for admin actions)';
    await host.notify({
      userId: state.userId,
      to,
      changedTo: 'a new passkey',
      text: `A passkey was added to ${host.appName}${strength}. If this was not you, contact support now.`,
    });
  }
  await host.checkpoint.auditLog.append({
    id: `ae_${randomBytes(16).toString('base64url')}`,
    type: 'factor.enrolled',
    at: host.now(),
    tenantId: host.tenantId(req) ?? state.tenantId,
    result: 'webauthn',
    data: {
      userId: state.userId,
      method: 'webauthn',
      maxAal: aal3 === undefined ? 2 : 3,
      attestation: attested?.trust ?? 'none',
      ...(attested === undefined ? {} : { aaguid: attested.aaguid }),
      ...(aal3 === undefined ? {} : { approvedBy: aal3.approvedBy, firstAal3: aal3.first }),
    },
  });
}

function passkeysOf(webauthn: WebAuthn | undefined): WebAuthn {
  if (webauthn === undefined) {
    throw new CheckpointError('not_found', 'passkeys are not configured here');
  }
  return webauthn;
}
