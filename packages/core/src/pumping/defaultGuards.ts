import type { SendGuard } from '../lifecycle/SendGuard.js';
import { lineTypeGuard } from './lineTypeGuard.js';
import { type NumberReputation, reputationGuard } from './reputation.js';
import { type TrafficGuardOptions, trafficGuard } from './trafficGuard.js';

/** Options of {@link pumpingGuards}: `createCheckpoint({ pumping })` passes them to its default guards. */
export interface PumpingGuardsOptions extends TrafficGuardOptions {
  /** A number-reputation source; without one no reputation guard is added. */
  reputation?: NumberReputation;
}

/**
 * The full SMS-pumping defence, which every checkpoint runs unless given `guards`: line-type
 * gating (free, before anything else), the number-reputation hook when a source is given (after
 * the free checks, as a paid one would be), then {@link trafficGuard} (velocity profiles with
 * account-age gating, prefix and network bursts, conversion per prefix block, network and
 * country), whose counters ride in the send's own store step.
 *
 * @example
 * // The default, with options: createCheckpoint({ secret, channels, pumping: { onThrottle: alert } })
 * const checkpoint = createCheckpoint({
 *   secret, channels,
 *   guards: [...pumpingGuards({ reputation: staticBlocklist({ prefixes: ['+88213'] }) }), myGuard],
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

/**
 * The guards of a checkpoint given no `guards`: {@link pumpingGuards}, with `createCheckpoint`'s
 * `pumping` options.
 */
export function defaultGuards(options: PumpingGuardsOptions = {}): SendGuard[] {
  return pumpingGuards(options);
}
