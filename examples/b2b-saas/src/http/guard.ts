import type { RequireCheckpointOptions, StepUp } from '@checkpoint/express';
import type { RequestHandler } from 'express';
import type { Activity } from '../data/Activity.js';

/**
 * `stepUp.requireCheckpoint(name)`, counting the step-up prompts it answers (a 401 challenge to a
 * script, a redirect to the step-up page for a browser) for the dashboard's step-up uptake.
 */
export function guard(
  stepUp: StepUp,
  activity: Activity,
  name: string,
  options?: RequireCheckpointOptions,
): RequestHandler {
  const inner = stepUp.requireCheckpoint(name, options);
  return (req, res, next) => {
    res.on('finish', () => {
      const challenged =
        (res.statusCode === 401 && res.getHeader('WWW-Authenticate') !== undefined) ||
        (res.statusCode === 303 && String(res.getHeader('Location')).startsWith('/step-up?'));
      if (challenged) activity.stepUpChallenged(name);
    });
    inner(req, res, next);
  };
}
