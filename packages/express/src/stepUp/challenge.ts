import { acrValuesFor, type Evaluation } from '@checkpoint/policy';
import type { Request, Response } from 'express';
import { safeReturnTo } from './safeReturnTo.js';
import { wwwAuthenticate } from './wwwAuthenticate.js';

/** @internal What a 401 step-up answer carries. */
export interface ChallengeDetails {
  checkpoint: string;
  aal: 1 | 2 | 3;
  methods: readonly string[];
  maxAge: number;
  phishingResistant: boolean;
  reason: string;
  binding?: { summary?: string };
}

/**
 * @internal
 * Answers a request that lacks the assurance a checkpoint needs: a browser (Accept: text/html)
 * is redirected to the step-up page with a validated `returnTo`; anything else gets 401 JSON
 * `{ error: 'step_up_required', … }` and an RFC 9470 `WWW-Authenticate` challenge.
 */
export function challenge(
  req: Request,
  res: Response,
  details: ChallengeDetails,
  paths: { page: string; api: string },
): void {
  const stepUpUrl = `${paths.api}/${encodeURIComponent(details.checkpoint)}`;
  if (req.accepts(['json', 'html']) === 'html' && req.method === 'GET') {
    const returnTo = safeReturnTo(req.originalUrl);
    res.redirect(
      303,
      `${paths.page}?checkpoint=${encodeURIComponent(details.checkpoint)}&returnTo=${encodeURIComponent(returnTo)}`,
    );
    return;
  }
  res.setHeader(
    'WWW-Authenticate',
    wwwAuthenticate({
      acrValues: acrValuesFor(details.aal, { phishingResistant: details.phishingResistant }),
      maxAge: details.maxAge,
      description: `${details.checkpoint} needs AAL${details.aal} within ${details.maxAge} s`,
    }),
  );
  res.status(401).json({
    error: 'step_up_required',
    checkpoint: details.checkpoint,
    aal: details.aal,
    methods: details.methods,
    maxAge: details.maxAge,
    reason: details.reason,
    stepUpUrl,
    ...(details.binding === undefined ? {} : { binding: details.binding }),
  });
}

/** @internal The challenge details of an unsatisfied evaluation. */
export function detailsOf(result: Extract<Evaluation, { satisfied: false }>): ChallengeDetails {
  return {
    checkpoint: result.checkpoint,
    aal: result.requiredAal,
    methods: result.methods,
    maxAge: result.maxAgeSeconds,
    phishingResistant: result.phishingResistant,
    reason: result.reason,
  };
}
