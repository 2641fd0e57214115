import { type AuditEvent, MemoryAuditLog } from '@checkpoint/core';
import type { Factors } from '@checkpoint/factors';
import { enrolmentMetrics, metricsAuditLog } from '@checkpoint/observability';
import { MemoryCredentialRepository } from '@checkpoint/webauthn';
import { describe, expect, it } from 'vitest';
import type { Tenant } from '../data/tenants.js';
import { Users } from '../data/Users.js';
import { demoEnrolment } from './demoEnrolment.js';
import { uptakeCharts } from './uptakeCharts.js';
import { uptakeStats } from './uptakeStats.js';

let next = 0;
function event(fields: Omit<AuditEvent, 'id' | 'at' | 'tenantId'>): AuditEvent {
  next += 1;
  return { id: `ae_${next}`, at: next, tenantId: 'acme', ...fields };
}
const phone = (country: string) =>
  ({ kind: 'phone', hash: 'h', masked: '+1******00', country }) as const;

/** The text a reader sees: tags dropped, entities of the demo's escaping undone. */
function visible(markup: string): string {
  return markup
    .replace(/<[^>]+>/g, '\n')
    .replaceAll('&#39;', "'")
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

async function demoRegistry() {
  const users = new Users();
  const member = (name: string, tenantId: string) =>
    users.create({ name, email: `${name}@${tenantId}.example`, phone: '+14155550100', tenantId });
  const ada = member('ada', 'acme');
  const bob = member('bob', 'acme');
  member('cy', 'acme');
  member('dee', 'globex');
  const credentials = new MemoryCredentialRepository();
  await credentials.create({
    id: 'cred-1',
    userId: ada.id,
    tenantId: 'acme',
    publicKey: new Uint8Array([1]),
    counter: 0,
    transports: ['usb'],
    deviceType: 'singleDevice',
    backedUp: false,
    aaguid: '00000000-0000-0000-0000-000000000000',
    createdAt: 0,
  });
  const factors = {
    totp: {
      status: async ({ userId }: { userId: string }) => ({
        enrolled: userId === ada.id || userId === bob.id,
        pending: false,
      }),
    },
  } as unknown as Factors;
  const tenants = new Map([
    ['acme', {} as Tenant],
    ['globex', {} as Tenant],
  ]);

  const auditLog = metricsAuditLog(new MemoryAuditLog());
  enrolmentMetrics({
    registry: auditLog.registry,
    collect: () => demoEnrolment({ users, tenants, factors, credentials }),
  });
  const signup = { purpose: 'signup', destination: phone('US') };
  for (let i = 0; i < 7; i += 1) {
    await auditLog.append(event({ type: 'verification.requested', ...signup }));
  }
  await auditLog.append(
    event({
      type: 'verification.blocked',
      ...signup,
      destination: phone('CU'),
      result: 'country_blocked',
      reasons: ['country:sanctioned:CU'],
    }),
  );
  for (const reasons of [['pumping:line_type:premium_rate'], ['velocity:ip']]) {
    await auditLog.append(
      event({
        type: 'verification.blocked',
        ...signup,
        result: reasons[0]?.startsWith('pumping:') ? 'fraud_detected' : 'rate_limited',
        reasons,
      }),
    );
  }
  for (let i = 0; i < 5; i += 1) {
    await auditLog.append(event({ type: 'verification.approved', ...signup }));
  }
  for (const country of ['GB', 'GB', 'GB', 'GB']) {
    await auditLog.append(
      event({ type: 'verification.requested', purpose: 'login', destination: phone(country) }),
    );
  }
  await auditLog.append(
    event({ type: 'verification.approved', purpose: 'login', destination: phone('GB') }),
  );
  for (const [purpose, method, phishingResistant] of [
    ['billing_change', 'otp-sms', false],
    ['billing_change', 'otp-sms', false],
    ['data_export', 'otp-sms', false],
    ['admin_role_grant', 'webauthn', true],
  ] as const) {
    await auditLog.append(
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
      }),
    );
  }
  return auditLog.registry;
}

describe('the dashboard’s uptake charts', () => {
  it('reads the observability metrics and draws each figure with its numbers', async () => {
    const stats = await uptakeStats(await demoRegistry());
    const markup = uptakeCharts(stats).value;
    expect(markup.match(/<figure class="chart">/g)).toHaveLength(4);
    expect(visible(markup)).toBe(
      [
        'MFA enrolment uptake: 100 % of 4 active users',
        'any second factor',
        '100 % (4)',
        'sms',
        '100 % (4)',
        'totp',
        '50 % (2)',
        'webauthn (phishing-resistant)',
        '25 % (1)',
        'Signup pumping-signal rate: 10 % of 10 signup send attempts',
        'blocked_pumping',
        '10 % (1)',
        'blocked_velocity',
        '10 % (1)',
        'blocked_other',
        '10 % (1)',
        'requested',
        '70 % (7)',
        'Step-up approvals by method: 25 % phishing-resistant',
        'otp-sms',
        '75 % (3)',
        'webauthn (phishing-resistant)',
        '25 % (1)',
        'Counted from the audit trail: every step-up the step-up router accepted, by the method that proved it.',
        'Drop-off by country: codes requested, never approved',
        'US',
        '29 % of 7',
        'GB',
        '75 % of 4',
        'By the country of the phone number (ZZ: unknown); codes still pending count as dropped until approved.',
      ].join('\n'),
    );
    // The bar of the drop-off chart is as long as its share: 75 % of the track for GB.
    expect(markup).toContain('width="172.5" height="16" rx="3" class="bar blue"');
  });

  it('says so when nothing was counted yet', async () => {
    const auditLog = metricsAuditLog(new MemoryAuditLog());
    const text = visible(uptakeCharts(await uptakeStats(auditLog.registry)).value);
    expect(text).toContain('MFA enrolment uptake: — of 0 active users\nNo data yet.');
    expect(text).toContain('Signup pumping-signal rate: — of 0 signup send attempts\nNo data yet.');
    expect(text).toContain('Step-up approvals by method: — phishing-resistant\nNo data yet.');
  });
});
