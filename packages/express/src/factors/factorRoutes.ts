import { CheckpointError } from '@checkpoint/core';
import { evaluate } from '@checkpoint/policy';
import type { Request, Router } from 'express';
import { handler } from '../http/handler.js';
import { detailsOf } from '../stepUp/challenge.js';
import type { Factors } from '@checkpoint/factors';
import { bodyOf, codeOf } from '../stepUp/routes/body.js';
import type { StepUpHost } from '../stepUp/StepUpHost.js';
import { saveSession, type StepUpSession } from '../stepUp/session.js';
import { StepUpNeeded } from '../stepUp/StepUpNeeded.js';

/**
 * @internal
 * The management routes of a user's own factors, under `/factors` of the step-up router:
 * enrolling or removing an authenticator app or recovery codes, and remembering this browser,
 * need a fresh `factor_change` step-up (RFC 9470 challenge otherwise) and are announced on the
 * destination on file (NIST SP 800-63B rev 4 §4.1). Listing and revoking devices need a session.
 */
export function factorRoutes(router: Router, host: StepUpHost, factors: Factors): void {
  const ownerOf = (state: StepUpSession) => ({ tenantId: state.tenantId, userId: state.userId });

  /** The signed-in user, after a fresh step-up for factor changes. */
  const fresh = async (req: Request): Promise<StepUpSession> => {
    const state = host.signedIn(req);
    const result = evaluate('factor_change', state, await host.tenantPolicy(req), host.now());
    if (!result.satisfied) throw new StepUpNeeded(detailsOf(result));
    return state;
  };

  router.get(
    '/factors',
    handler(async (req, res) => {
      const owner = ownerOf(host.signedIn(req));
      const [totp, recoveryCodes, devices] = await Promise.all([
        factors.totp.status(owner),
        factors.recoveryCodes.status(owner),
        factors.devices.list(owner),
      ]);
      res.json({ totp, recoveryCodes, devices });
    }),
  );

  router.post(
    '/factors/totp',
    handler(async (req, res) => {
      const state = await fresh(req);
      const accountName = bodyOf(req.body).accountName;
      const enrolment = await factors.totp.enrol({
        owner: ownerOf(state),
        accountName:
          typeof accountName === 'string' && accountName !== '' ? accountName : state.userId,
      });
      res.set('Cache-Control', 'no-store').status(201).json(enrolment);
    }),
  );

  router.post(
    '/factors/totp/confirm',
    handler(async (req, res) => {
      const state = await fresh(req);
      const body = bodyOf(req.body);
      if (typeof body.id !== 'string' || body.id.length > 64) {
        throw new CheckpointError('invalid_request', 'id must be the enrolment id (totp_…)');
      }
      const result = await factors.totp.confirm({
        owner: ownerOf(state),
        id: body.id,
        code: codeOf(body),
      });
      if (result.status !== 'approved') {
        res.json({ status: result.status });
        return;
      }
      await host.announce(
        req,
        state.userId,
        'an authenticator app',
        'An authenticator app was added',
      );
      // The first code proves the new app: it counts as a fresh factor of this session.
      await host.stepUpWith(
        req,
        'factor_change',
        { ...result.factor, at: host.now() },
        await host.tenantPolicy(req),
        undefined,
      );
      res.status(201).json({ status: 'approved' });
    }),
  );

  router.delete(
    '/factors/totp',
    handler(async (req, res) => {
      const state = await fresh(req);
      if (!(await factors.totp.remove({ owner: ownerOf(state) }))) {
        throw new CheckpointError('not_found', 'no authenticator app to remove');
      }
      await host.announce(
        req,
        state.userId,
        'an authenticator app',
        'An authenticator app was removed',
      );
      res.status(204).end();
    }),
  );

  router.post(
    '/factors/recovery-codes',
    handler(async (req, res) => {
      const state = await fresh(req);
      const { codes, createdAt } = await factors.recoveryCodes.generate({ owner: ownerOf(state) });
      await host.announce(
        req,
        state.userId,
        'new recovery codes',
        'New recovery codes were made (the old ones no longer work)',
      );
      // Shown once: never cached.
      res.set('Cache-Control', 'no-store').status(201).json({ codes, createdAt });
    }),
  );

  router.delete(
    '/factors/recovery-codes',
    handler(async (req, res) => {
      const state = await fresh(req);
      if (!(await factors.recoveryCodes.remove({ owner: ownerOf(state) }))) {
        throw new CheckpointError('not_found', 'no recovery codes to remove');
      }
      await host.announce(req, state.userId, 'recovery codes', 'The recovery codes were removed');
      res.status(204).end();
    }),
  );

  router.post(
    '/factors/devices',
    handler(async (req, res) => {
      // Only right after a second factor, and only when asked: this call is the asking.
      const state = await fresh(req);
      const userAgent = req.get('user-agent');
      const remembered = await factors.devices.remember({
        owner: ownerOf(state),
        ...(userAgent === undefined ? {} : { label: userAgent }),
      });
      if (remembered === undefined) {
        throw new CheckpointError('not_found', 'remembered devices are turned off for this tenant');
      }
      const { cookie, device } = remembered;
      res.cookie(cookie.name, cookie.value, cookie.options);
      await saveSession(req);
      res.status(201).json(device);
    }),
  );

  router.delete(
    '/factors/devices/:id',
    handler(async (req, res) => {
      const owner = ownerOf(host.signedIn(req));
      const id = String(req.params.id);
      // Forgetting this very browser also removes its cookie.
      const current = await factors.devices.recognise({ owner, cookieHeader: req.headers.cookie });
      if (!(await factors.devices.revoke({ owner, id }))) {
        throw new CheckpointError('not_found', 'no such remembered device');
      }
      if (current.status === 'recognised' && current.device.id === id) {
        const { name, options } = factors.devices.cookieToClear(owner);
        res.clearCookie(name, options);
      }
      res.status(204).end();
    }),
  );

  router.delete(
    '/factors/devices',
    handler(async (req, res) => {
      const owner = ownerOf(host.signedIn(req));
      const revoked = await factors.devices.revokeAll({ owner });
      const { name, options } = factors.devices.cookieToClear(owner);
      res.clearCookie(name, options);
      res.json({ revoked });
    }),
  );
}
