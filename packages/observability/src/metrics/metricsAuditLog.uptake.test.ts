import { type AuditEvent, MemoryAuditLog } from '@checkpoint/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { runScript } from '../fixtures/scriptedFlows.js';
import { metricsAuditLog } from './metricsAuditLog.js';

let next = 0;
function event(fields: Omit<AuditEvent, 'id' | 'at' | 'tenantId'>): AuditEvent {
  next += 1;
  return { id: `ae_${next}`, at: next, tenantId: 'acme', ...fields };
}

const phone = (country?: string) =>
  ({
    kind: 'phone',
    hash: 'h',
    masked: '+1******00',
    ...(country === undefined ? {} : { country }),
  }) as const;
const email = { kind: 'email', hash: 'h', masked: 'j***@e***.com' } as const;

/** The sample lines of one metric in the text exposition, sorted. */
async function lines(registry: Registry, name: string): Promise<string[]> {
  return (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .sort();
}

describe('metricsAuditLog: the signup pumping-signal rate', () => {
  it('counts every send attempt once, blocked ones by the signal that refused them', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), { registry });
    const signup = { purpose: 'signup', destination: phone('US') };
    for (let i = 0; i < 6; i += 1)
      await log.append(event({ type: 'verification.requested', ...signup }));
    // Two pumping reasons on one refusal: one attempt, two blocks_total samples.
    await log.append(
      event({
        type: 'verification.blocked',
        ...signup,
        result: 'fraud_detected',
        reasons: ['pumping:line_type:premium_rate', 'pumping:reputation:high'],
      }),
    );
    // The traffic guard's burst cap answers rate_limited, but with a pumping reason.
    await log.append(
      event({
        type: 'verification.blocked',
        ...signup,
        result: 'rate_limited',
        reasons: ['pumping:prefix_burst'],
      }),
    );
    await log.append(
      event({
        type: 'verification.blocked',
        ...signup,
        result: 'rate_limited',
        reasons: ['velocity:ip'],
      }),
    );
    await log.append(
      event({
        type: 'verification.blocked',
        ...signup,
        result: 'country_blocked',
        reasons: ['country:not_allowed:US'],
      }),
    );
    await log.append(
      event({ type: 'verification.requested', purpose: 'login', destination: email }),
    );

    expect(await lines(registry, 'checkpoint_send_attempts_total')).toEqual([
      'checkpoint_send_attempts_total{purpose="login",outcome="requested"} 1',
      'checkpoint_send_attempts_total{purpose="signup",outcome="blocked_other"} 1',
      'checkpoint_send_attempts_total{purpose="signup",outcome="blocked_pumping"} 2',
      'checkpoint_send_attempts_total{purpose="signup",outcome="blocked_velocity"} 1',
      'checkpoint_send_attempts_total{purpose="signup",outcome="requested"} 6',
    ]);
    // The signal rate at signup: 2 of 10 attempts.
  });
});

describe('metricsAuditLog: drop-off by country', () => {
  it('counts phone sends blocked, requested and approved by the number’s country, never emails', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), { registry });
    const sends: [string | undefined, boolean][] = [
      ['US', true],
      ['US', true],
      ['US', false],
      ['GB', true],
      ['ID', false],
      ['ID', false],
      ['ID', false],
      [undefined, false],
    ];
    for (const [country, approved] of sends) {
      await log.append(
        event({ type: 'verification.requested', purpose: 'login', destination: phone(country) }),
      );
      if (approved) {
        await log.append(
          event({ type: 'verification.approved', purpose: 'login', destination: phone(country) }),
        );
      }
    }
    await log.append(
      event({
        type: 'verification.blocked',
        purpose: 'signup',
        destination: phone('ID'),
        result: 'fraud_detected',
        reasons: ['pumping:conversion:prefix'],
      }),
    );
    await log.append(
      event({ type: 'verification.requested', purpose: 'login', destination: email }),
    );
    await log.append(
      event({ type: 'verification.approved', purpose: 'login', destination: email }),
    );
    // A malformed country never becomes a label of its own.
    await log.append(
      event({
        type: 'verification.requested',
        purpose: 'login',
        destination: phone('+14155550100'),
      }),
    );

    expect(await lines(registry, 'checkpoint_phone_verifications_total')).toEqual([
      'checkpoint_phone_verifications_total{country="GB",stage="approved"} 1',
      'checkpoint_phone_verifications_total{country="GB",stage="requested"} 1',
      'checkpoint_phone_verifications_total{country="ID",stage="blocked"} 1',
      'checkpoint_phone_verifications_total{country="ID",stage="requested"} 3',
      'checkpoint_phone_verifications_total{country="US",stage="approved"} 2',
      'checkpoint_phone_verifications_total{country="US",stage="requested"} 3',
      'checkpoint_phone_verifications_total{country="ZZ",stage="requested"} 2',
    ]);
  });

  it('reads the country core puts on the events of a real flow', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), { registry });
    const { checkpoint } = await runScript(log);
    await checkpoint.close();
    // The script: five +1 415 numbers, three approved, one refused by the pumping guard.
    expect(await lines(registry, 'checkpoint_phone_verifications_total')).toEqual([
      'checkpoint_phone_verifications_total{country="US",stage="approved"} 3',
      'checkpoint_phone_verifications_total{country="US",stage="blocked"} 1',
      'checkpoint_phone_verifications_total{country="US",stage="requested"} 5',
    ]);
    expect(await lines(registry, 'checkpoint_send_attempts_total')).toContain(
      'checkpoint_send_attempts_total{purpose="signup",outcome="blocked_pumping"} 1',
    );
  });
});

describe('metricsAuditLog: step-up approvals by method', () => {
  const steppedUp = (purpose: string, method: string, phishingResistant: boolean) =>
    event({
      type: 'checkpoint.stepped_up',
      purpose,
      result: method,
      data: {
        userId: 'u_ada',
        method,
        aal: phishingResistant ? 3 : 1,
        phishingResistant,
        satisfied: true,
      },
    });

  it('counts step-ups of step-up checkpoints by method, with the phishing-resistant ones apart, and not logins', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), {
      registry,
      stepUpPurposes: ['billing_change', 'refund'],
    });
    await log.append(steppedUp('billing_change', 'otp-sms', false));
    await log.append(steppedUp('billing_change', 'otp-sms', false));
    await log.append(steppedUp('billing_change', 'webauthn', true));
    await log.append(steppedUp('refund', 'totp', false));
    await log.append(steppedUp('login', 'otp-sms', false));
    await log.append(steppedUp('data_export', 'webauthn', true));
    // An approved code is counted once, by the step-up that used it, not again as a code.
    await log.append(
      event({ type: 'verification.approved', purpose: 'billing_change', channel: 'sms' }),
    );
    expect(await lines(registry, 'checkpoint_step_up_approvals_total')).toEqual([
      'checkpoint_step_up_approvals_total{checkpoint="billing_change",method="otp-sms",phishing_resistant="false"} 2',
      'checkpoint_step_up_approvals_total{checkpoint="billing_change",method="webauthn",phishing_resistant="true"} 1',
      'checkpoint_step_up_approvals_total{checkpoint="refund",method="totp",phishing_resistant="false"} 1',
    ]);
  });

  it('knows the built-in step-up checkpoints by default', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), { registry });
    for (const purpose of ['admin_role_grant', 'factor_change', 'signup', 'password_reset']) {
      await log.append(steppedUp(purpose, 'webauthn', true));
    }
    expect(await lines(registry, 'checkpoint_step_up_approvals_total')).toEqual([
      'checkpoint_step_up_approvals_total{checkpoint="admin_role_grant",method="webauthn",phishing_resistant="true"} 1',
      'checkpoint_step_up_approvals_total{checkpoint="factor_change",method="webauthn",phishing_resistant="true"} 1',
    ]);
  });
});

describe('metricsAuditLog: factor changes', () => {
  it('counts the factor events by type and method, never by user', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), { registry });
    const factorEvent = (type: AuditEvent['type'], method: string) =>
      event({ type, result: method, data: { userId: 'u_ada', method } });
    await log.append(factorEvent('factor.enrolled', 'totp'));
    await log.append(factorEvent('factor.enrolled', 'webauthn'));
    await log.append(factorEvent('factor.enrolled', 'webauthn'));
    await log.append(factorEvent('factor.removed', 'totp'));
    await log.append(factorEvent('recovery_code.used', 'recovery-code'));
    expect(await lines(registry, 'checkpoint_factor_events_total')).toEqual([
      'checkpoint_factor_events_total{event="factor.enrolled",method="totp"} 1',
      'checkpoint_factor_events_total{event="factor.enrolled",method="webauthn"} 2',
      'checkpoint_factor_events_total{event="factor.removed",method="totp"} 1',
      'checkpoint_factor_events_total{event="recovery_code.used",method="recovery-code"} 1',
    ]);
    expect(await registry.metrics()).not.toContain('u_ada');
  });
});
