import type { MetricsAuditLog } from '@checkpoint/observability';

type Registry = MetricsAuditLog['registry'];

/** The uptake figures of the dashboard, read from @checkpoint/observability's metrics. */
export interface UptakeStats {
  /** Active users, and how many hold each kind of second factor (`any`: at least one). */
  enrolment: { activeUsers: number; methods: { method: string; users: number }[] };
  /** Signup send attempts, by outcome: requested, blocked_pumping, blocked_velocity, blocked_other. */
  signup: { outcome: string; count: number }[];
  /** Step-ups approved, by method, and whether the method is phishing-resistant. */
  stepUps: { method: string; phishingResistant: boolean; count: number }[];
  /** Phone verifications requested and approved, by the number's country (most requested first). */
  countries: { country: string; requested: number; approved: number }[];
}

type Sample = { labels: Partial<Record<string, string | number>>; value: number };

async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(`checkpoint_${name}`);
  return metric === undefined ? [] : (await metric.get()).values;
}

/** Adds the samples up by one label (or by a key built from several). */
function sumBy(values: Sample[], key: (labels: Sample['labels']) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { labels, value } of values) {
    const name = key(labels);
    sums.set(name, (sums.get(name) ?? 0) + value);
  }
  return sums;
}

/**
 * Reads the registry the demo's `metricsAuditLog` fills — the very numbers `/metrics` serves —
 * summed over tenants (and, in Prometheus, over instances and a time window instead).
 */
export async function uptakeStats(registry: Registry): Promise<UptakeStats> {
  const active = await samples(registry, 'mfa_active_users');
  const enrolled = sumBy(await samples(registry, 'mfa_enrolled_users'), (l) => String(l.method));
  const attempts = await samples(registry, 'send_attempts_total');
  const signup = sumBy(
    attempts.filter((sample) => sample.labels.purpose === 'signup'),
    (l) => String(l.outcome),
  );
  const stepUps = sumBy(
    await samples(registry, 'step_up_approvals_total'),
    (l) => `${String(l.method)} ${String(l.phishing_resistant)}`,
  );
  const phones = await samples(registry, 'phone_verifications_total');
  const requested = sumBy(
    phones.filter((sample) => sample.labels.stage === 'requested'),
    (l) => String(l.country),
  );
  const approved = sumBy(
    phones.filter((sample) => sample.labels.stage === 'approved'),
    (l) => String(l.country),
  );
  return {
    enrolment: {
      activeUsers: active.reduce((sum, sample) => sum + sample.value, 0),
      methods: [...enrolled].map(([method, users]) => ({ method, users })),
    },
    signup: [...signup].map(([outcome, count]) => ({ outcome, count })),
    stepUps: [...stepUps].map(([key, count]) => {
      const [method = '', resistant] = key.split(' ');
      return { method, phishingResistant: resistant === 'true', count };
    }),
    countries: [...requested]
      .map(([country, count]) => ({
        country,
        requested: count,
        approved: approved.get(country) ?? 0,
      }))
      .sort((a, b) => b.requested - a.requested || a.country.localeCompare(b.country)),
  };
}
