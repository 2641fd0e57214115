import type { RequestHandler } from 'express';
import type { Activity } from '../data/Activity.js';

const VERIFY = /^\/([a-z_]+)\/(?:otp|webauthn|totp|recovery-code)\/verify$/;

/**
 * Mounted in front of the step-up router: counts the step-ups it completes (a verify answer with
 * `satisfied: true`) and the challenges it answers itself (passkey enrolment's `contact_change`,
 * the authenticator app's and recovery codes' `factor_change`).
 */
export function countStepUps(activity: Activity): RequestHandler {
  return (req, res, next) => {
    const verify = req.method === 'POST' ? VERIFY.exec(req.path) : null;
    if (verify?.[1] !== undefined) {
      const checkpoint = verify[1];
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if ((body as { satisfied?: unknown } | null)?.satisfied === true) {
          activity.stepUpCompleted(checkpoint);
        }
        return json(body);
      };
    } else if (req.path.startsWith('/passkeys/register/') || req.path.startsWith('/factors')) {
      const checkpoint = req.path.startsWith('/factors') ? 'factor_change' : 'contact_change';
      res.on('finish', () => {
        if (res.statusCode === 401 && res.getHeader('WWW-Authenticate') !== undefined) {
          activity.stepUpChallenged(checkpoint);
        }
      });
    }
    next();
  };
}
