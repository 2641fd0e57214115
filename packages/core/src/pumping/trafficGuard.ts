import type { GuardInput, GuardRefusal } from '../lifecycle/SendGuard.js';
import type { CounterRule, VerificationRecord } from '../store/Store.js';
import {
  countRules,
  type LadderShape,
  ladderLimits,
  levelReached,
  probeRules,
} from './conversionLadder.js';
import type { GuardHost, StatefulSendGuard } from './GuardHost.js';
import { scopesOf } from './scopes.js';
import { profileRules } from './velocityProfile.js';

/** Options of {@link trafficGuard}: how counters are kept, shared by every tenant of the Store. */
export interface TrafficGuardOptions {
  /** Trailing digits that vary within a prefix block. @default 4 (blocks of 10,000 numbers) */
  prefixDigits?: number;
  /**
   * Length of a conversion window, in seconds. Two series of windows run half a window apart; the
   * older current window judges, so a verdict always covers between half a window and a window.
   * @default 3600
   */
  conversionWindowSeconds?: number;
  /** Volume steps per scope at which conversion is judged: `minSends × 2^k`, k < levels. @default { prefix: 2, country: 6 } */
  conversionLevels?: { prefix?: number; country?: number };
  /** Called once per tenant when a prefix block or a country is throttled (after it is recorded). */
  onThrottle?: (event: ConversionThrottle) => void | Promise<void>;
}

/** What {@link TrafficGuardOptions.onThrottle} is told. */
export interface ConversionThrottle {
  tenantId: string;
  scope: 'prefix' | 'country';
  /** The block's leading digits (`+4479111`) or the country (`GB`, `+882` when non-geographic). */
  range: string;
  /** The judged window had at least this many sends… */
  sends: number;
  /** …and fewer than this many approvals. */
  approvalsBelow: number;
  minPercent: number;
  /** Epoch milliseconds: when it was throttled, and until when. */
  at: number;
  until: number;
}

interface Verdict {
  scope: 'prefix' | 'country';
  id: string;
  range: string;
  sends: number;
  approvalsBelow: number;
}

/**
 * The counting pumping defences, in one round trip to the Store per send (its counters go out in
 * parallel calls): the `strict` velocity profile and account-age gating of new tenants, prefix
 * bursts (sequential-number attacks), and conversion — sends against approvals per prefix block
 * and per country. Thresholds are per tenant (`configure(tenantId, { pumping })`); counts are
 * shared by every tenant of the Store, so an attack on one tenant's sign-up form shows in all.
 *
 * Refusals (each audited as `verification.blocked` with its reason):
 * - strict profile / new tenant caps: `rate_limited`, `pumping:velocity:strict:<subject>` or `pumping:new_tenant:<subject>`;
 * - prefix burst: `rate_limited`, `pumping:prefix_burst`, with `retryAfter` (a cap per number block);
 * - conversion below `conversionMinPercent` once a block has `conversionPrefixMinSends` (a country
 *   `conversionCountryMinSends`) sends in the judged window: the scope is throttled for
 *   `conversionCooldownSeconds` (`fraud_detected` / `country_blocked`, `pumping:conversion:prefix` /
 *   `pumping:conversion:country`, with `retryAfter`), `onThrottle` is called once, and it reopens on
 *   its own: after the cooldown, as soon as the judged window converts again.
 *
 * Attempts to a throttled prefix block still count as its sends, so a block stays closed while an
 * attack goes on; they do not count for its country, so an attack on one block does not close the
 * country to its legitimate users. Approvals count through `createCheckpoint`'s check.
 *
 * @example
 * createCheckpoint({ secret, channels, guards: [lineTypeGuard(), trafficGuard({ onThrottle: alert })] });
 * @see https://owasp.org/www-project-application-security-verification-standard/ (V2.4.1 anti-automation of costly resources)
 */
export function trafficGuard(options: TrafficGuardOptions = {}): StatefulSendGuard {
  const {
    prefixDigits = 4,
    conversionWindowSeconds = 3_600,
    conversionLevels = {},
    onThrottle,
  } = options;
  const prefixShape = ladderShape(conversionWindowSeconds, conversionLevels.prefix ?? 2, 'prefix');
  const countryShape = ladderShape(
    conversionWindowSeconds,
    conversionLevels.country ?? 6,
    'country',
  );
  if (!Number.isInteger(prefixDigits) || prefixDigits < 1 || prefixDigits > 8) {
    throw new TypeError('trafficGuard: `prefixDigits` must be a whole number from 1 to 8');
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
  const ids = (scopes: { prefix: string; country: string }, through: GuardHost) => ({
    prefix: through.hash('pumping:prefix', scopes.prefix),
    country: through.hash('pumping:country', scopes.country),
  });

  return {
    name: 'pumping:traffic',

    attach(next) {
      if (host !== undefined && host !== next) {
        throw new TypeError('a trafficGuard belongs to one checkpoint: create one per checkpoint');
      }
      host = next;
    },

    approvalRules(record: VerificationRecord): CounterRule[] {
      const phone = record.to.phone;
      if (phone === undefined) return [];
      const id = ids(scopesOf(phone, prefixDigits), attached());
      return [
        ...countRules('a', id.prefix, record.createdAt, prefixShape),
        ...countRules('a', id.country, record.createdAt, countryShape),
      ];
    },

    async evaluate(input: GuardInput): Promise<GuardRefusal | undefined> {
      const through = attached();
      const phone = input.destination.phone;
      const policy = input.config.pumping;
      if (phone === undefined || !policy.enabled) return undefined;
      const { now, tenantId } = input;
      const scopes = scopesOf(phone, prefixDigits);
      const id = ids(scopes, through);
      const cooldown = policy.conversionCooldownSeconds;
      const refusals = new Map<string, GuardRefusal>();
      const rule = (entry: CounterRule, refusal: GuardRefusal): CounterRule => {
        refusals.set(entry.key, refusal);
        return entry;
      };

      // Two calls, so that each scope counts what it should. `guarded`: the tenant's caps, the
      // burst and the block's throttle, and the country's sends (a send refused for its block is
      // not a send of its country). `attempts`: the country's throttle and the block's sends (an
      // attempt on a refused block is still an attempt on it, so it stays closed while they go on).
      const guarded: CounterRule[] = [
        ...profileRules(input, through).map((entry) => rule(entry.rule, entry.refusal)),
        rule(
          {
            key: `pb:${id.prefix}:${policy.prefixBurst.windowSeconds}`,
            limit: policy.prefixBurst.limit,
            windowSeconds: policy.prefixBurst.windowSeconds,
            cost: 1,
          },
          { code: 'rate_limited', reason: 'pumping:prefix_burst' },
        ),
        rule(tripRule(id.prefix, tenantId, cooldown, 0), {
          code: 'fraud_detected',
          reason: 'pumping:conversion:prefix',
        }),
        ...countRules('s', id.country, now, countryShape),
      ];
      const attempts: CounterRule[] = [
        rule(tripRule(id.country, tenantId, cooldown, 0), {
          code: 'country_blocked',
          reason: 'pumping:conversion:country',
        }),
        ...countRules('s', id.prefix, now, prefixShape),
      ];
      const percent = policy.conversionMinPercent;
      const prefixLimits = ladderLimits(
        policy.conversionPrefixMinSends,
        percent,
        prefixShape.levels,
      );
      const countryLimits = ladderLimits(
        policy.conversionCountryMinSends,
        percent,
        countryShape.levels,
      );
      const probes =
        percent === 0
          ? []
          : [
              probeRules('s', id.prefix, now, prefixLimits.sends, prefixShape),
              probeRules('a', id.prefix, now, prefixLimits.approvals, prefixShape),
              probeRules('s', id.country, now, countryLimits.sends, countryShape),
              probeRules('a', id.country, now, countryLimits.approvals, countryShape),
            ];
      const [guardedResult, attemptsResult, ...read] = await Promise.all(
        [guarded, attempts, ...probes].map((rules) => through.hitCounters(rules, now)),
      );
      for (const result of [guardedResult, attemptsResult]) {
        if (result === undefined || result.allowed) continue;
        const refusal = refusals.get(result.key);
        if (refusal !== undefined) return { ...refusal, retryAfter: result.retryAfter };
      }
      if (read.length === 0) return undefined;

      const level = read.map((result) => levelReached(result));
      const verdicts: Verdict[] = [];
      const judge = (
        scope: Verdict['scope'],
        scopeId: string,
        range: string,
        sendsLevel: number,
        approvalsLevel: number,
        limits: { sends: number[]; approvals: number[] },
      ): void => {
        if (sendsLevel === 0 || approvalsLevel >= sendsLevel) return;
        verdicts.push({
          scope,
          id: scopeId,
          range,
          sends: limits.sends[sendsLevel - 1] ?? 0,
          approvalsBelow: limits.approvals[sendsLevel - 1] ?? 0,
        });
      };
      judge('prefix', id.prefix, scopes.prefix, level[0] ?? 0, level[1] ?? 0, prefixLimits);
      judge('country', id.country, scopes.country, level[2] ?? 0, level[3] ?? 0, countryLimits);
      const first = verdicts[0];
      if (first === undefined) return undefined;

      // Record the throttle (once per tenant and scope, whichever process gets there first) and
      // tell the app; this refused send is the only one that pays this second round trip.
      await Promise.all(
        verdicts.map(async (verdict) => {
          const recorded = await through.hitCounters(
            [tripRule(verdict.id, tenantId, cooldown, 1)],
            now,
          );
          if (recorded.allowed) await announce(through, verdict, tenantId, percent, now, cooldown);
        }),
      );
      return first.scope === 'prefix'
        ? { code: 'fraud_detected', reason: 'pumping:conversion:prefix', retryAfter: cooldown }
        : { code: 'country_blocked', reason: 'pumping:conversion:country', retryAfter: cooldown };
    },
  };

  async function announce(
    through: GuardHost,
    verdict: Verdict,
    tenantId: string,
    minPercent: number,
    now: number,
    cooldown: number,
  ): Promise<void> {
    const event: ConversionThrottle = {
      tenantId,
      scope: verdict.scope,
      range: verdict.range,
      sends: verdict.sends,
      approvalsBelow: verdict.approvalsBelow,
      minPercent,
      at: now,
      until: now + cooldown * 1_000,
    };
    const reason = `pumping:conversion:${verdict.scope}`;
    through.logger.warn(
      { ...event, reason },
      'checkpoint throttled a destination range for low conversion',
    );
    // In the audit trail too, where the refused sends that follow point back to it by reason.
    await through.audit({
      type: 'pumping.throttled',
      tenantId,
      result: verdict.scope,
      reasons: [reason],
      data: {
        range: verdict.range,
        sends: verdict.sends,
        approvalsBelow: verdict.approvalsBelow,
        minPercent,
        until: event.until,
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
  }
}

function tripRule(scopeId: string, tenantId: string, cooldown: number, cost: 0 | 1): CounterRule {
  return { key: `pct:${scopeId}:${tenantId}`, limit: 1, windowSeconds: cooldown, cost };
}

function ladderShape(windowSeconds: number, levels: number, scope: string): LadderShape {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 60 || windowSeconds > 7 * 86_400) {
    throw new TypeError(
      'trafficGuard: `conversionWindowSeconds` must be a whole number from 60 to 604800',
    );
  }
  if (!Number.isInteger(levels) || levels < 1 || levels > 12) {
    throw new TypeError(`trafficGuard: \`conversionLevels.${scope}\` must be from 1 to 12`);
  }
  return { windowSeconds, levels };
}
