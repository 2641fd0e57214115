import { Gauge, Registry } from 'prom-client';
import { LabelValues } from './labelValues.js';

/**
 * One tenant's (or the whole app's) second-factor enrolment, as the app counts it in its own user
 * directory: Checkpoint sees factor changes go by, not who is active.
 */
export interface EnrolmentCounts {
  /** The tenant counted; labels the gauges only with `tenantLabel`. @default 'default' */
  tenantId?: string;
  /** Users the app counts as active (the denominator of uptake), e.g. signed in within 90 days. */
  activeUsers: number;
  /** Active users with at least one second factor, of any kind (a user counts once). */
  withSecondFactor: number;
  /** Active users with each kind of second factor, e.g. `{ totp: 12, webauthn: 5, sms: 30 }`. */
  enrolled: Readonly<Record<string, number>>;
}

/** Options of {@link enrolmentMetrics}. */
export interface EnrolmentMetricsOptions {
  /**
   * Called by prom-client at each scrape: the counts as of now, for one tenant or several. Keep it
   * cheap (a `COUNT … GROUP BY` or a cached figure): it runs on every scrape.
   */
  collect: () =>
    | EnrolmentCounts
    | readonly EnrolmentCounts[]
    | Promise<EnrolmentCounts | readonly EnrolmentCounts[]>;
  /** Where the gauges are registered: the registry of `metricsAuditLog`. @default a new Registry */
  registry?: Registry;
  /** Prefix of the metric names. @default 'checkpoint_' */
  prefix?: string;
  /** Adds a `tenant` label; without it the counts of all tenants are summed. @default false */
  tenantLabel?: boolean;
  /** Distinct values kept per label before further ones read `other`. @default 100 */
  maxLabelValues?: number;
}

/** What {@link enrolmentMetrics} registered. */
export interface EnrolmentMetrics {
  readonly registry: Registry;
  /** `<prefix>mfa_active_users` */
  readonly activeUsers: Gauge;
  /** `<prefix>mfa_enrolled_users`, by `method` (`any` for users with at least one). */
  readonly enrolledUsers: Gauge;
}

/**
 * MFA enrolment uptake as two prom-client gauges filled at scrape time from the counts the app
 * returns in `collect` (prom-client's collect idiom): `mfa_active_users` and
 * `mfa_enrolled_users{method}` (`method="any"`: users with at least one second factor). Uptake is
 * their ratio, taken in PromQL so that tenants and instances add up. Counts that contradict each
 * other (more enrolled than active) are a TypeError: the scrape fails rather than lie.
 *
 * @example
 * enrolmentMetrics({
 *   registry: auditLog.registry,
 *   collect: async () => ({ activeUsers: 120, withSecondFactor: 80, enrolled: { sms: 70, totp: 25, webauthn: 12 } }),
 * });
 * // sum(checkpoint_mfa_enrolled_users{method="any"}) / sum(checkpoint_mfa_active_users)
 * @see https://github.com/siimon/prom-client#usage-with-collect
 */
export function enrolmentMetrics({
  collect,
  registry = new Registry(),
  prefix = 'checkpoint_',
  tenantLabel = false,
  maxLabelValues = 100,
}: EnrolmentMetricsOptions): EnrolmentMetrics {
  if (typeof collect !== 'function') {
    throw new TypeError(
      'enrolmentMetrics requires { collect }: a function returning { activeUsers, withSecondFactor, enrolled }',
    );
  }
  const labels = new LabelValues(maxLabelValues);
  const tenant = tenantLabel ? ['tenant'] : [];
  // Both gauges read one snapshot per scrape: prom-client calls their collects in the same tick.
  let snapshot: Promise<readonly EnrolmentCounts[]> | undefined;
  const read = (): Promise<readonly EnrolmentCounts[]> => {
    snapshot ??= Promise.resolve()
      .then(collect)
      .then((counts) => (Array.isArray(counts) ? counts : [counts as EnrolmentCounts]).map(checked))
      .finally(() => {
        snapshot = undefined;
      });
    return snapshot;
  };
  const tenantOf = (counts: EnrolmentCounts): Record<string, string> =>
    tenantLabel ? { tenant: labels.value('tenant', counts.tenantId ?? 'default') } : {};

  const activeUsers = new Gauge({
    name: `${prefix}mfa_active_users`,
    help: 'Active users, as the app counts them: the denominator of MFA enrolment uptake.',
    labelNames: tenant,
    registers: [registry],
    async collect() {
      const all = await read();
      this.reset();
      for (const counts of all) this.inc(tenantOf(counts), counts.activeUsers);
      if (all.length === 0 && !tenantLabel) this.set(0);
    },
  });
  const enrolledUsers = new Gauge({
    name: `${prefix}mfa_enrolled_users`,
    help: 'Active users with a second factor, by method; method="any" counts each user once.',
    labelNames: ['method', ...tenant],
    registers: [registry],
    async collect() {
      const all = await read();
      this.reset();
      for (const counts of all) {
        this.inc({ method: 'any', ...tenantOf(counts) }, counts.withSecondFactor);
        for (const [method, users] of Object.entries(counts.enrolled)) {
          this.inc({ method: labels.value('method', method), ...tenantOf(counts) }, users);
        }
      }
    },
  });
  return { registry, activeUsers, enrolledUsers };
}

function checked(counts: EnrolmentCounts): EnrolmentCounts {
  const count = (what: string, value: unknown): number => {
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new TypeError(
        `enrolmentMetrics: ${what} must be a whole number ≥ 0, got ${String(value)}`,
      );
    }
    return value as number;
  };
  const active = count('activeUsers', counts?.activeUsers);
  const any = count('withSecondFactor', counts.withSecondFactor);
  if (any > active) {
    throw new TypeError('enrolmentMetrics: withSecondFactor cannot exceed activeUsers');
  }
  for (const [method, value] of Object.entries(counts.enrolled ?? {})) {
    if (method === 'any') {
      throw new TypeError('enrolmentMetrics: pass users with any factor as withSecondFactor');
    }
    if (count(`enrolled.${method}`, value) > any) {
      throw new TypeError(
        `enrolmentMetrics: enrolled.${method} cannot exceed withSecondFactor (a user with a ${method} factor has a second factor)`,
      );
    }
  }
  return counts;
}
