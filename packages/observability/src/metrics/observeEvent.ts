import { type AuditEvent, FACTOR_EVENT_TYPES } from '@checkpoint/core';
import type { CheckpointMetrics } from './checkpointMetrics.js';
import type { LabelValues } from './labelValues.js';

/**
 * @internal The step-up checkpoints @checkpoint/policy builds in: codes approved for these
 * purposes are step-ups (login, signup and password_reset are not).
 */
export const STEP_UP_CHECKPOINTS: readonly string[] = Object.freeze([
  'admin_role_grant',
  'billing_change',
  'api_key_create',
  'audit_log_access',
  'data_export',
  'contact_change',
  'factor_change',
]);

/** @internal What {@link observeEvent} counts into. */
export interface Observer {
  metrics: CheckpointMetrics;
  labels: LabelValues;
  tenantLabel: boolean;
  /** Purposes whose approved codes are step-ups. */
  stepUps: ReadonlySet<string>;
}

const FACTOR_EVENTS: ReadonlySet<string> = new Set(FACTOR_EVENT_TYPES);
const COUNTRY = /^[A-Z]{2}$/;

/**
 * @internal
 * Why a send was refused, as one signal: `pumping` when a pumping defence said so (a
 * `fraud_detected` answer, or any `pumping:` reason — the traffic guard also answers
 * `rate_limited` and `country_blocked` with one), `velocity` for the other velocity caps, and
 * `other` for the rest (a country policy, an opt-out, an invalid number, no channel).
 */
export function refusalSignal(event: AuditEvent): 'pumping' | 'velocity' | 'other' {
  if (
    event.result === 'fraud_detected' ||
    event.reasons?.some((reason) => reason.startsWith('pumping:')) === true
  ) {
    return 'pumping';
  }
  return event.result === 'rate_limited' ? 'velocity' : 'other';
}

/**
 * @internal The ISO 3166 country of a phone destination (`ZZ` when the number's country is
 * unknown), or undefined for an email or an event without a destination.
 */
function phoneCountry(event: AuditEvent): string | undefined {
  if (event.destination?.kind !== 'phone') return undefined;
  const country = event.destination.country;
  return country !== undefined && COUNTRY.test(country) ? country : 'ZZ';
}

/** @internal Turns one audit event into metric updates. */
export function observeEvent(
  event: AuditEvent,
  { metrics, labels, tenantLabel, stepUps }: Observer,
): void {
  const label = (name: string, value: unknown): string => labels.value(name, value);
  const base = (names: Record<string, unknown>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(names)) out[name] = label(name, value);
    if (tenantLabel) out.tenant = label('tenant', event.tenantId);
    return out;
  };
  const purpose = event.purpose;
  const country = phoneCountry(event);
  const byCountry = (stage: string) => {
    if (country !== undefined) metrics.phoneVerifications.inc(base({ country, stage }));
  };
  const seconds = event.latencyMs === undefined ? undefined : event.latencyMs / 1_000;
  switch (event.type) {
    case 'verification.requested':
      metrics.started.inc(base({ purpose }));
      metrics.sendAttempts.inc(base({ purpose, outcome: 'requested' }));
      byCountry('requested');
      return;
    case 'verification.dispatched':
      metrics.sends.inc(base({ channel: event.channel, purpose, outcome: 'accepted', reason: '' }));
      return;
    case 'verification.dispatch_failed':
      metrics.sends.inc(
        base({ channel: event.channel, purpose, outcome: 'failed', reason: event.result }),
      );
      return;
    case 'verification.checked':
      metrics.checks.inc(base({ channel: event.channel, purpose, result: event.result }));
      if (event.result === 'approved' && seconds !== undefined) {
        metrics.timeToVerify.observe(base({ channel: event.channel, purpose }), seconds);
      }
      if (event.result === 'max_attempts')
        metrics.ended.inc(base({ purpose, status: 'max_attempts' }));
      return;
    case 'verification.approved':
      metrics.ended.inc(base({ purpose, status: 'approved' }));
      byCountry('approved');
      return;
    case 'checkpoint.stepped_up':
      // Every method's proof, recorded by @checkpoint/express's step-up router.
      if (purpose !== undefined && stepUps.has(purpose)) {
        metrics.stepUpApprovals.inc(
          base({
            checkpoint: purpose,
            method: event.data?.method ?? event.result,
            phishing_resistant: event.data?.phishingResistant === true ? 'true' : 'false',
          }),
        );
      }
      return;
    case 'verification.expired':
      metrics.ended.inc(base({ purpose, status: 'expired' }));
      return;
    case 'verification.canceled':
      metrics.ended.inc(base({ purpose, status: 'canceled' }));
      return;
    case 'verification.blocked':
      for (const reason of event.reasons?.length ? event.reasons : [event.result]) {
        metrics.blocks.inc(base({ purpose, code: event.result, reason }));
      }
      metrics.sendAttempts.inc(base({ purpose, outcome: `blocked_${refusalSignal(event)}` }));
      byCountry('blocked');
      return;
    case 'verification.fallback': {
      const escalated = event.result === 'escalated';
      metrics.fallbacks.inc(
        base({
          from: escalated ? event.data?.from : event.channel,
          to: escalated ? event.data?.to : '',
          purpose,
          result: event.result,
          reason: event.reasons?.[0],
        }),
      );
      return;
    }
    case 'delivery.receipt':
      metrics.receipts.inc(
        base({
          channel: event.channel,
          purpose,
          status: event.result,
          error_code: event.data?.errorCode,
        }),
      );
      if (seconds !== undefined) {
        metrics.deliveryLatency.observe(
          base({ channel: event.channel, purpose, status: event.result }),
          seconds,
        );
      }
      return;
    case 'destination.opted_out':
    case 'destination.opted_in':
      metrics.optOuts.inc(
        base({ medium: event.channel, action: event.type.slice('destination.'.length) }),
      );
      return;
    case 'pumping.throttled':
      metrics.throttles.inc(base({ scope: event.result }));
      return;
    default:
      if (FACTOR_EVENTS.has(event.type)) {
        metrics.factorEvents.inc(
          base({ event: event.type, method: event.data?.method ?? event.result }),
        );
      }
      return;
  }
}
