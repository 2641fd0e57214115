import type { Logger } from '../lifecycle/Logger.js';
import type { GuardInput, GuardRefusal } from '../lifecycle/SendGuard.js';
import { allowedByTenant } from './exempt.js';
import type { GuardHost, StatefulSendGuard } from './GuardHost.js';

/**
 * A source of number reputation: a blocklist of numbers and ranges known for pumping or fraud,
 * a vendor's score behind a threshold, the app's own records. Answers a short label naming why
 * the number is refused (`'known_pumping_range'`), or `undefined` when it has nothing against it.
 */
export interface NumberReputation {
  check(e164: string): Promise<string | undefined> | string | undefined;
}

/** Options of {@link staticBlocklist}. */
export interface StaticBlocklistOptions {
  /** Whole numbers, E.164. */
  numbers?: readonly string[];
  /** Ranges, as E.164 prefixes: `'+88213'` refuses every number starting with it. */
  prefixes?: readonly string[];
  /** The label refusals carry. Letters, digits and `_`. @default 'blocklist' */
  label?: string;
}

const E164_PREFIX = /^\+[1-9][0-9]{0,14}$/;
const LABEL = /^[A-Za-z0-9_]{1,40}$/;

/**
 * A {@link NumberReputation} from fixed lists of numbers and prefixes, held in memory.
 *
 * @example
 * reputationGuard({ reputation: staticBlocklist({ prefixes: ['+88213'], label: 'iridium' }) });
 */
export function staticBlocklist({
  numbers = [],
  prefixes = [],
  label = 'blocklist',
}: StaticBlocklistOptions = {}): NumberReputation {
  for (const entry of [...numbers, ...prefixes]) {
    if (typeof entry !== 'string' || !E164_PREFIX.test(entry)) {
      throw new TypeError(
        `staticBlocklist: '${String(entry)}' is not an E.164 number or prefix such as '+88213'`,
      );
    }
  }
  if (!LABEL.test(label))
    throw new TypeError('staticBlocklist: `label` must be 1 to 40 letters, digits or _');
  const exact = new Set(numbers);
  const ranges = [...new Set(prefixes)];
  return {
    check: (e164) =>
      exact.has(e164) || ranges.some((prefix) => e164.startsWith(prefix)) ? label : undefined,
  };
}

/** Options of {@link reputationGuard}. */
export interface ReputationGuardOptions {
  reputation: NumberReputation;
}

/**
 * Refuses numbers a {@link NumberReputation} names, for tenants with `pumping.reputation` on (the
 * default). Answers `fraud_detected`, reason `pumping:reputation:<label>`. A reputation source that
 * throws is logged (warn) and refuses nothing: reputation adds refusals to the other guards, it is
 * not a gate every send must pass (so its outage is not an outage of sign-ups).
 *
 * @example
 * createCheckpoint({ secret, channels, guards: [...defaultGuards(), reputationGuard({ reputation: staticBlocklist({ prefixes: ['+88213'] }) })] });
 */
export function reputationGuard({ reputation }: ReputationGuardOptions): StatefulSendGuard {
  if (typeof reputation?.check !== 'function') {
    throw new TypeError('reputationGuard requires `reputation`: an object with check(e164)');
  }
  let logger: Logger | undefined;
  return {
    name: 'pumping:reputation',
    attach(host: GuardHost) {
      logger = host.logger;
    },
    async evaluate(input: GuardInput): Promise<GuardRefusal | undefined> {
      const phone = input.destination.phone;
      const policy = input.config.pumping;
      if (
        phone === undefined ||
        !policy.enabled ||
        !policy.reputation ||
        allowedByTenant(phone.e164, policy)
      ) {
        return undefined;
      }
      let label: string | undefined;
      try {
        label = await reputation.check(phone.e164);
      } catch (error) {
        logger?.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'checkpoint number reputation check failed',
        );
        return undefined;
      }
      if (label === undefined) return undefined;
      return {
        code: 'fraud_detected',
        reason: `pumping:reputation:${LABEL.test(label) ? label : 'listed'}`,
      };
    },
  };
}
