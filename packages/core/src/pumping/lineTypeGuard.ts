import type { LineType } from '../destination/lookupPhone.js';
import { type Destination, lineTypeOf } from '../destination/normalizeDestination.js';
import type { GuardInput, GuardRefusal, SendGuard } from '../lifecycle/SendGuard.js';
import { allowedByTenant } from './exempt.js';

/**
 * Refuses numbers whose line type the tenant refuses (`pumping.refuseLineTypes`: premium-rate,
 * shared-cost, toll-free and UAN numbers by default) before anything is counted or sent: those
 * numbers pay their owner per message, which is what SMS pumping farms. The line type comes from
 * libphonenumber-js's full metadata and, when a LookupProvider reports one, from the carrier too;
 * either source naming a refused type refuses. No store round trip. On by default.
 *
 * Answers `fraud_detected`, reason `pumping:line_type:<type>`.
 *
 * @example
 * createCheckpoint({ secret, channels, guards: [lineTypeGuard()] });
 * await checkpoint.send({ to: '+19005550100', purpose: 'signup' }); // fraud_detected, pumping:line_type:premium_rate
 */
export function lineTypeGuard(): SendGuard {
  return {
    name: 'pumping:line_type',
    pure: true,
    async evaluate(input: GuardInput): Promise<GuardRefusal | undefined> {
      const policy = input.config.pumping;
      const phone = input.destination.phone;
      if (
        !policy.enabled ||
        phone === undefined ||
        policy.refuseLineTypes.length === 0 ||
        allowedByTenant(phone.e164, policy)
      ) {
        return undefined;
      }
      const refused = lineTypesOf(phone, input.lookup?.lineType).find((type) =>
        policy.refuseLineTypes.includes(type),
      );
      return refused === undefined
        ? undefined
        : { code: 'fraud_detected', reason: `pumping:line_type:${refused}` };
    },
  };
}

/** @internal The line types known for a number: libphonenumber-js's, then a provider's when it differs. */
export function lineTypesOf(
  phone: NonNullable<Destination['phone']>,
  provided: LineType | undefined,
): LineType[] {
  const own = lineTypeOf(phone);
  return provided === undefined || provided === own ? [own] : [own, provided];
}
