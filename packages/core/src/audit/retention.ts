/**
 * Audit retention periods in days that cover whole calendar years, leap days included.
 * `oneYear` is a year of any kind; `fiveYears` fits FFIEC / Bank Secrecy Act record keeping;
 * `sixYears` fits HIPAA's documentation retention (45 CFR 164.316(b)(2)). Tenants get 365 days
 * (`DEFAULT_TENANT_CONFIG.auditRetentionDays`) unless configured otherwise.
 *
 * @example checkpoint.configure('clinic', { auditRetentionDays: RETENTION_PRESETS.sixYears });
 */
export const RETENTION_PRESETS = {
  oneYear: 366,
  fiveYears: 5 * 365 + 2,
  sixYears: 6 * 365 + 2,
} as const;

/**
 * How long an audit sink keeps a tenant's events: a number of days for every tenant, or a
 * function of the tenant id (it may be async; it is called on appends, reads and retention runs,
 * so keep it cheap — see {@link retentionFromConfig}).
 */
export type RetentionDays = number | ((tenantId: string) => number | Promise<number>);

const DAY_MS = 86_400_000;

/**
 * For AuditLog implementations: a sink's `retentionDays` option as a function of the tenant id
 * returning milliseconds (365 days when the option is undefined). It throws a TypeError naming
 * `sink` for anything but a positive number of days, so a bad value never prunes a whole log.
 *
 * @example const retentionMs = retentionResolver(options.retentionDays, 'MyAuditLog');
 */
export function retentionResolver(
  option: RetentionDays | undefined,
  sink: string,
): (tenantId: string) => Promise<number> {
  if (option !== undefined && typeof option !== 'function')
    assertDays(option, sink, 'retentionDays');
  const days = typeof option === 'function' ? option : () => option ?? 365;
  return async (tenantId) => {
    const value = await days(tenantId);
    assertDays(value, sink, `retentionDays('${tenantId}')`);
    return Math.max(1, Math.round(value * DAY_MS));
  };
}

function assertDays(days: unknown, sink: string, what: string): asserts days is number {
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0) {
    throw new TypeError(`${sink}: ${what} must be a positive number of days, got ${String(days)}`);
  }
}

/** Options of {@link retentionFromConfig}. */
export interface RetentionFromConfigOptions {
  /** How long a tenant's answer is reused, in ms. @default 60_000 */
  cacheMs?: number;
  /** Clock for the cache, epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * A `retentionDays` function for audit sinks that reads each tenant's `auditRetentionDays` from
 * its Checkpoint configuration, cached for `cacheMs`. Errors are not guessed around: a store
 * outage fails the read (and so the append or retention run) rather than prune with a wrong period.
 *
 * @param config Usually `(tenantId) => checkpoint.config(tenantId)`; the closure may name a
 *   `checkpoint` created after the sink, since it is only called once events flow.
 * @example
 * const auditLog = new MemoryAuditLog({ retentionDays: retentionFromConfig((t) => checkpoint.config(t)) });
 * const checkpoint = createCheckpoint({ secret, channels, auditLog });
 */
export function retentionFromConfig(
  config: (tenantId: string) => Promise<{ auditRetentionDays: number }>,
  { cacheMs = 60_000, now = Date.now }: RetentionFromConfigOptions = {},
): (tenantId: string) => Promise<number> {
  if (typeof config !== 'function') {
    throw new TypeError(
      'retentionFromConfig requires a function of the tenant id, e.g. (tenantId) => checkpoint.config(tenantId)',
    );
  }
  const cache = new Map<string, { days: number; until: number }>();
  return async (tenantId) => {
    const hit = cache.get(tenantId);
    const time = now();
    if (hit !== undefined && hit.until > time) return hit.days;
    const days = (await config(tenantId)).auditRetentionDays;
    // Bounded: one entry per tenant, which the store already bounds.
    cache.set(tenantId, { days, until: time + cacheMs });
    return days;
  };
}
