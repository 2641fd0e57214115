import type { GuardCount, GuardInput, GuardRefusal, GuardVerdict } from '../lifecycle/SendGuard.js';
import type { CounterRule, TallyOp, VerificationRecord } from '../store/Store.js';
import { uncounted } from './exempt.js';
import type { GuardHost, StatefulSendGuard } from './GuardHost.js';
import type { PumpingConfig } from './PumpingConfig.js';
import { networkOf, scopesOf } from './scopes.js';
import { profileRules } from './velocityProfile.js';

/** Options of {@link trafficGuard}: how counts are kept, shared by every tenant of the Store. */
export interface TrafficGuardOptions {
  /** Trailing digits that vary within a prefix block. @default 4 (blocks of 10,000 numbers) */
  prefixDigits?: number;
  /** How far back conversion looks, in seconds. @default 1800 */
  conversionWindowSeconds?: number;
  /**
   * Sends younger than this are not judged yet: their users are still typing their codes. A
   * launch or a batch import that sends thousands of codes in a minute is judged only once its
   * users had this long to answer. @default 90
   */
  conversionGraceSeconds?: number;
  /** Length of a counting bucket, in seconds; the window and the grace are counted in whole buckets. @default 60 */
  conversionBucketSeconds?: number;
  /** Called when a prefix block, a network or a country is closed for low conversion (at most once per range, tenant and `conversionCooldownSeconds`). */
  onThrottle?: (event: ConversionThrottle) => void | Promise<void>;
}

/** What {@link TrafficGuardOptions.onThrottle} is told. */
export interface ConversionThrottle {
  tenantId: string;
  scope: Scope;
  /**
   * The block's leading digits (`+4479111`), the network (`198.51.100`, an IPv6 /48) or the
   * country (`GB`, `+882` when non-geographic).
   */
  range: string;
  /** The judged sends of the range… */
  sends: number;
  /** …and their approvals. */
  approvals: number;
  minPercent: number;
  /** Epoch milliseconds. */
  at: number;
}

type Scope = 'prefix' | 'network' | 'country';

/** Where a send sits: each scope's range and its keyed id. */
interface Placed {
  scope: Scope;
  range: string;
  id: string;
}

/**
 * The counting pumping defences. They ride in the send's own store step (one round trip with the
 * velocity caps, the opt-out read and the create on a single Redis) and judge three things:
 *
 * - velocity: the `strict` profile for tenants set to it or younger than `newTenantDays`
 *   (`rate_limited`, `pumping:velocity:strict:<subject>` / `pumping:new_tenant:<subject>`);
 * - bursts: sends per prefix block (`pumping:prefix_burst`, sequential-number walks) and per
 *   client network, the IP's /24 or /48 (`pumping:network_burst`), both `rate_limited`;
 * - conversion: approvals against sends per prefix block, network and country, over the last
 *   `conversionWindowSeconds` but leaving out the last `conversionGraceSeconds` (users still
 *   typing). Below `conversionMinPercent`, with enough judged sends, the range is closed to new
 *   sends while that lasts: `fraud_detected` `pumping:conversion:prefix` and
 *   `pumping:conversion:network`, `country_blocked` `pumping:conversion:country`. A closed country
 *   still takes sends from a network whose own codes are being approved, so real users of a
 *   sprayed country keep signing up.
 *
 * Counts are shared by every tenant of the Store (an attack on one tenant's form shows in all);
 * thresholds are each tenant's (`configure(tenantId, { pumping })`). An attempt on a closed block
 * or network still counts as its send, so it stays closed while the attack goes on; a send refused
 * for its block or network does not count for its country. Approvals count through
 * `createCheckpoint`'s check. NANP fiction numbers and `pumping.allow` are left alone.
 *
 * @example
 * createCheckpoint({ secret, channels, pumping: { onThrottle: alert } }); // on by default
 * @see https://owasp.org/www-project-application-security-verification-standard/ (V2.4.1 anti-automation of costly resources)
 */
export function trafficGuard(options: TrafficGuardOptions = {}): StatefulSendGuard {
  const {
    prefixDigits = 4,
    conversionWindowSeconds = 1_800,
    conversionGraceSeconds = 90,
    conversionBucketSeconds = 60,
    onThrottle,
  } = options;
  if (!Number.isInteger(prefixDigits) || prefixDigits < 1 || prefixDigits > 8) {
    throw new TypeError('trafficGuard: `prefixDigits` must be a whole number from 1 to 8');
  }
  const bucket = seconds(conversionBucketSeconds, 'conversionBucketSeconds', 1, 3_600);
  const window = seconds(conversionWindowSeconds, 'conversionWindowSeconds', 60, 7 * 86_400);
  const grace = seconds(conversionGraceSeconds, 'conversionGraceSeconds', 0, 86_400);
  if (window / bucket > 240 || window < grace + 2 * bucket) {
    throw new TypeError(
      'trafficGuard: the window must be at least the grace and two buckets long, and at most 240 buckets',
    );
  }
  if (onThrottle !== undefined && typeof onThrottle !== 'function') {
    throw new TypeError('trafficGuard: `onThrottle` must be a function');
  }
  let host: GuardHost | undefined;
  const attached = (): GuardHost => {
    if (host === undefined) {
      throw new TypeError(
        'trafficGuard keeps counters in a Store: pass it to createCheckpoint({ guards })',
      );
    }
    return host;
  };
  const tally = (id: string, family: 's' | 'a', extra: Partial<TallyOp>): TallyOp => ({
    key: `pt:${id}`,
    families: FAMILIES,
    family,
    bucketSeconds: bucket,
    windowSeconds: window,
    graceSeconds: grace,
    ...extra,
  });
  // The keyed hashes of ranges, remembered (at most MEMO of each): a country's, a busy block's and a
  // busy network's are asked for on every send. A network's id is 32 bits of its keyed hash: small
  // enough to keep on every verification.
  const rangeIds = new Map<string, string>();
  const networkIds = new Map<string, number>();
  const rangeId = (through: GuardHost, kind: 'prefix' | 'country', range: string): string =>
    remembered(rangeIds, `${kind}:${range}`, () => through.hash(`pumping:${kind}`, range));
  const networkKey = (through: GuardHost, network: string): number =>
    remembered(networkIds, network, () =>
      Buffer.from(through.hash('pumping:network', network).slice(0, 8), 'base64url').readUInt32BE(
        0,
      ),
    );

  return {
    name: 'pumping:traffic',

    attach(next) {
      if (host !== undefined && host !== next) {
        throw new TypeError('a trafficGuard belongs to one checkpoint: create one per checkpoint');
      }
      host = next;
    },

    conversionMark(input: GuardInput) {
      if (!judgesConversion(input)) return undefined;
      const network = networkOf(input.context.ip);
      // 0 marks a counted send without a network; a network whose id is 0 takes 1.
      return network === undefined ? 0 : Math.max(1, networkKey(attached(), network));
    },

    approvalTallies(record: VerificationRecord): TallyOp[] {
      // Only a send counted for conversion (marked at send time) has its approval counted.
      const phone = record.to.phone;
      if (phone === undefined || record.network === undefined) return [];
      const through = attached();
      const scopes = scopesOf(phone, prefixDigits);
      const add = { add: { at: record.createdAt } };
      return [
        tally(rangeId(through, 'prefix', scopes.prefix), 'a', add),
        tally(rangeId(through, 'country', scopes.country), 'a', add),
        ...(record.network === 0 ? [] : [tally(`n${record.network}`, 'a', add)]),
      ];
    },

    count(input: GuardInput): GuardCount | undefined {
      const through = attached();
      const phone = input.destination.phone;
      const policy = input.config.pumping;
      if (phone === undefined || !counted(input)) return undefined;
      const { now, tenantId } = input;
      const scopes = scopesOf(phone, prefixDigits);
      const network = networkOf(input.context.ip);
      const placed: Placed[] = [
        {
          scope: 'prefix',
          range: scopes.prefix,
          id: rangeId(through, 'prefix', scopes.prefix),
        },
        ...(network === undefined
          ? []
          : [
              {
                scope: 'network' as const,
                range: network,
                id: `n${networkKey(through, network)}`,
              },
            ]),
        {
          scope: 'country',
          range: scopes.country,
          id: rangeId(through, 'country', scopes.country),
        },
      ];
      const rules: Array<{ rule: CounterRule; refusal: GuardRefusal }> = [
        ...profileRules(input, through),
        burst(policy.prefixBurst, `pb:${placed[0]?.id ?? ''}`, 'pumping:prefix_burst'),
        ...(network === undefined
          ? []
          : [burst(policy.networkBurst, `nb:${placed[1]?.id ?? ''}`, 'pumping:network_burst')]),
      ];
      if (policy.conversionMinPercent === 0) return { rules, tallies: [], judge: () => undefined };

      // Per scope: its sends (this one added) and approvals over the judged range. A block's and
      // a network's sends count even when the send is refused; a country's only when it is not.
      // Judged: whole buckets that ended at least `grace` ago and started within the window.
      const tallies = placed.flatMap(({ scope, id }) => [
        tally(id, 's', { add: { at: now, always: scope !== 'country' }, judged: true }),
        tally(id, 'a', { judged: true }),
      ]);
      return {
        rules,
        tallies,
        judge: (sums) => {
          const read = placed.map((entry, index) => ({
            ...entry,
            sends: sums[2 * index] ?? 0,
            approvals: sums[2 * index + 1] ?? 0,
          }));
          const low = read.find(
            (entry) =>
              converts(entry, policy) === false &&
              (entry.scope !== 'country' ||
                !read.some((other) => other.scope === 'network' && provenBy(other, policy))),
          );
          if (low === undefined) return undefined;
          const country = tallies[tallies.length - 2];
          return verdict(through, low, tenantId, policy, now, {
            // A send refused for its block or network is not a send of its country.
            giveBack:
              low.scope === 'country' || country === undefined
                ? undefined
                : tally(country.key.slice(3), 's', { add: { at: now, count: -1 } }),
          });
        },
      };
    },
  };

  function verdict(
    through: GuardHost,
    low: Placed & { sends: number; approvals: number },
    tenantId: string,
    policy: PumpingConfig,
    now: number,
    { giveBack }: { giveBack: TallyOp | undefined },
  ): GuardVerdict {
    const reason = `pumping:conversion:${low.scope}`;
    const cooldown = policy.conversionCooldownSeconds;
    return {
      refusal: {
        code: low.scope === 'country' ? 'country_blocked' : 'fraud_detected',
        reason,
        retryAfter: cooldown,
      },
      async settle() {
        // Once per range, tenant and cooldown, whichever process gets there first.
        const [, told] = await Promise.all([
          giveBack === undefined
            ? undefined
            : through.hitCounters([], now, { tallies: [giveBack] }),
          through.hitCounters(
            [{ key: `pct:${low.id}:${tenantId}`, limit: 1, windowSeconds: cooldown, cost: 1 }],
            now,
          ),
        ]);
        if (!told.allowed) return;
        const event: ConversionThrottle = {
          tenantId,
          scope: low.scope,
          range: low.range,
          sends: low.sends,
          approvals: low.approvals,
          minPercent: policy.conversionMinPercent,
          at: now,
        };
        through.logger.warn(
          { ...event, reason },
          'checkpoint closed a destination range for low conversion',
        );
        // In the audit trail too, where the refused sends that follow point back to it by reason.
        await through.audit({
          type: 'pumping.throttled',
          tenantId,
          result: low.scope,
          reasons: [reason],
          data: {
            range: low.range,
            sends: low.sends,
            approvals: low.approvals,
            minPercent: policy.conversionMinPercent,
          },
        });
        try {
          await onThrottle?.(event);
        } catch (error) {
          through.logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'checkpoint onThrottle callback failed',
          );
        }
      },
    };
  }
}

/** Whether the guard counts a send at all: a phone, the tenant's defence on, the number not exempt. */
function counted({ destination, config }: GuardInput): boolean {
  const phone = destination.phone;
  const policy = config.pumping;
  return phone !== undefined && policy.enabled && !uncounted(phone.e164, policy);
}

/** Whether a send is counted for conversion, so that its approval must be too. */
function judgesConversion(input: GuardInput): boolean {
  return counted(input) && input.config.pumping.conversionMinPercent > 0;
}

/** Whether a range converts: `undefined` while it has too few judged sends to say. */
function converts(
  { scope, sends, approvals }: { scope: Scope; sends: number; approvals: number },
  policy: PumpingConfig,
): boolean | undefined {
  const least =
    scope === 'prefix'
      ? policy.conversionPrefixMinSends
      : scope === 'network'
        ? policy.conversionNetworkMinSends
        : policy.conversionCountryMinSends;
  if (sends < least) return undefined;
  return approvals * 100 >= sends * policy.conversionMinPercent;
}

/** A network whose codes are being approved: some approvals, and not below the minimum share. */
function provenBy(
  { sends, approvals }: { sends: number; approvals: number },
  policy: PumpingConfig,
): boolean {
  return approvals > 0 && approvals * 100 >= sends * policy.conversionMinPercent;
}

function burst(
  { limit, windowSeconds }: PumpingConfig['prefixBurst'],
  key: string,
  reason: string,
): { rule: CounterRule; refusal: GuardRefusal } {
  return {
    rule: { key: `${key}:${windowSeconds}`, limit, windowSeconds, cost: 1 },
    refusal: { code: 'rate_limited', reason },
  };
}

/** How many range ids of each kind a guard remembers before it starts over. */
const MEMO = 10_000;

function remembered<T>(memo: Map<string, T>, name: string, make: () => T): T {
  let value = memo.get(name);
  if (value === undefined) {
    if (memo.size >= MEMO) memo.clear();
    value = make();
    memo.set(name, value);
  }
  return value;
}

/** Sends and approvals. */
const FAMILIES: readonly string[] = Object.freeze(['s', 'a']);

function seconds(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`trafficGuard: \`${name}\` must be a whole number from ${min} to ${max}`);
  }
  return value;
}
