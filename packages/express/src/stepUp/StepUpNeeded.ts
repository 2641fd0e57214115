import type { ChallengeDetails } from './challenge.js';

/** @internal Thrown inside a route to answer the RFC 9470-shaped step-up challenge instead of an error. */
export class StepUpNeeded extends Error {
  constructor(readonly details: ChallengeDetails) {
    super('step-up required');
  }
}
