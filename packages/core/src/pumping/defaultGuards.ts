import type { SendGuard } from '../lifecycle/SendGuard.js';
import { lineTypeGuard } from './lineTypeGuard.js';
import { type NumberReputation, reputationGuard } from './reputation.js';
import { type TrafficGuardOptions, trafficGuard } from './trafficGuard.js';

/**
 * The guards a checkpoint runs when `createCheckpoint` is given no `guards`: line-type gating
 * ({@link lineTypeGuard}). It costs no store round trip and keeps no state, so every checkpoint
 * gets it; the counting defences are {@link pumpingGuards}.
 *
 * @example
 * createCheckpoint({ secret, channels, guards: [...defaultGuards(), myGuard] });
 */
export function defaultGuards(): SendGuard[] {
  return [lineTypeGuard()];
}

/** Options of {@link pumpingGuards}. */
export interface PumpingGuardsOptions extends TrafficGuardOptions {
  /** A number-reputation source; without one no reputation guard is added. */
  reputation?: NumberReputation;
}

/**
 * The full SMS-pumping defence, for public forms (sign-up, password reset): line-type gating,
 * the number-reputation hook when a source is given, then {@link trafficGuard} (velocity profiles
 * with account-age gating, prefix bursts, conversion per prefix block and country). Cheap checks
 * come first, so a premium-rate number is refused without a store round trip; the counting
 * checks cost one round trip per send and one counter call per approval, and since they are
 * asked after the velocity caps, a send with them stores its verification in a round trip of its
 * own (with only pure guards, such as the default {@link lineTypeGuard}, it goes with the caps').
 *
 * @example
 * const checkpoint = createCheckpoint({
 *   secret, channels, asnResolver,
 *   guards: pumpingGuards({ reputation: staticBlocklist({ prefixes: ['+88213'] }), onThrottle: alert }),
 * });
 */
export function pumpingGuards(options: PumpingGuardsOptions = {}): SendGuard[] {
  const { reputation, ...traffic } = options;
  return [
    lineTypeGuard(),
    ...(reputation === undefined ? [] : [reputationGuard({ reputation })]),
    trafficGuard(traffic),
  ];
}
