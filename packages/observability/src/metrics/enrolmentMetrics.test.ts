import { MemoryAuditLog } from '@checkpoint/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { enrolmentMetrics, type EnrolmentCounts } from './enrolmentMetrics.js';
import { metricsAuditLog } from './metricsAuditLog.js';

async function lines(registry: Registry, prefix: string): Promise<string[]> {
  return (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .sort();
}

const acme: EnrolmentCounts = {
  tenantId: 'acme',
  activeUsers: 40,
  withSecondFactor: 30,
  enrolled: { sms: 25, totp: 10, webauthn: 6 },
};
const globex: EnrolmentCounts = {
  tenantId: 'globex',
  activeUsers: 10,
  withSecondFactor: 2,
  enrolled: { webauthn: 2 },
};

describe('enrolmentMetrics', () => {
  it('fills the gauges at scrape time from what collect returns, summed over tenants', async () => {
    let counts: EnrolmentCounts[] = [acme, globex];
    let calls = 0;
    const registry = new Registry();
    enrolmentMetrics({
      registry,
      collect: async () => {
        calls += 1;
        return counts;
      },
    });
    expect(await lines(registry, 'checkpoint_mfa_')).toEqual([
      'checkpoint_mfa_active_users 50',
      'checkpoint_mfa_enrolled_users{method="any"} 32',
      'checkpoint_mfa_enrolled_users{method="sms"} 25',
      'checkpoint_mfa_enrolled_users{method="totp"} 10',
      'checkpoint_mfa_enrolled_users{method="webauthn"} 8',
    ]);
    // One call per scrape, shared by both gauges.
    expect(calls).toBe(1);

    // A later scrape reads the counts afresh; a method nobody holds any more disappears.
    counts = [{ ...globex, withSecondFactor: 1, enrolled: { totp: 1 } }];
    expect(await lines(registry, 'checkpoint_mfa_')).toEqual([
      'checkpoint_mfa_active_users 10',
      'checkpoint_mfa_enrolled_users{method="any"} 1',
      'checkpoint_mfa_enrolled_users{method="totp"} 1',
    ]);
    expect(calls).toBe(2);
  });

  it('labels by tenant when asked, beside the audit metrics on one registry', async () => {
    const auditLog = metricsAuditLog(new MemoryAuditLog(), { tenantLabel: true });
    const { tenantId: _, ...untenanted } = globex;
    enrolmentMetrics({
      registry: auditLog.registry,
      tenantLabel: true,
      collect: () => [acme, untenanted],
    });
    expect(await lines(auditLog.registry, 'checkpoint_mfa_')).toEqual([
      'checkpoint_mfa_active_users{tenant="acme"} 40',
      'checkpoint_mfa_active_users{tenant="default"} 10',
      'checkpoint_mfa_enrolled_users{method="any",tenant="acme"} 30',
      'checkpoint_mfa_enrolled_users{method="any",tenant="default"} 2',
      'checkpoint_mfa_enrolled_users{method="sms",tenant="acme"} 25',
      'checkpoint_mfa_enrolled_users{method="totp",tenant="acme"} 10',
      'checkpoint_mfa_enrolled_users{method="webauthn",tenant="acme"} 6',
      'checkpoint_mfa_enrolled_users{method="webauthn",tenant="default"} 2',
    ]);
  });

  it('fails the scrape rather than expose counts that contradict each other', async () => {
    const scrape = async (counts: unknown) => {
      const registry = new Registry();
      enrolmentMetrics({ registry, collect: () => counts as EnrolmentCounts });
      return registry.metrics();
    };
    await expect(scrape({ activeUsers: 5, withSecondFactor: 6, enrolled: {} })).rejects.toThrow(
      'withSecondFactor cannot exceed activeUsers',
    );
    await expect(
      scrape({ activeUsers: 5, withSecondFactor: 2, enrolled: { totp: 3 } }),
    ).rejects.toThrow('enrolled.totp cannot exceed withSecondFactor');
    await expect(scrape({ activeUsers: 1.5, withSecondFactor: 0, enrolled: {} })).rejects.toThrow(
      TypeError,
    );
    await expect(
      scrape({ activeUsers: 5, withSecondFactor: 2, enrolled: { any: 2 } }),
    ).rejects.toThrow('withSecondFactor');
    expect(() => enrolmentMetrics({} as never)).toThrow(TypeError);
  });

  it('never lets a method name leak a destination into a label', async () => {
    const registry = new Registry();
    enrolmentMetrics({
      registry,
      collect: () => ({
        activeUsers: 3,
        withSecondFactor: 2,
        enrolled: { '+14155550100': 1, 'jane@example.com': 1 },
      }),
    });
    const text = await registry.metrics();
    expect(text).not.toContain('4155550100');
    expect(text).not.toContain('example.com');
    expect(text).toContain('checkpoint_mfa_enrolled_users{method="other"} 2');
  });
});
