import { type AuditEvent, type AuditLog, MemoryAuditLog } from '@checkpoint/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { runScript } from '../fixtures/scriptedFlows.js';
import { metricsAuditLog } from './metricsAuditLog.js';

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  return (await metric.get()).values as Sample[];
}

async function count(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  return (await samples(registry, name))
    .filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

describe('metricsAuditLog and the pumping guard', () => {
  it('counts throttles by scope, never by range', async () => {
    const registry = new Registry();
    const auditLog = metricsAuditLog(new MemoryAuditLog(), { registry });
    const throttle = (id: string, scope: string): AuditEvent => ({
      id,
      type: 'pumping.throttled',
      at: Date.now(),
      tenantId: 'acme',
      result: scope,
      reasons: [`pumping:conversion:${scope}`],
      data: { range: '+44791112', sends: 10, approvalsBelow: 2, minPercent: 20, until: 0 },
    });
    await auditLog.append(throttle('ae_1', 'prefix'));
    await auditLog.append(throttle('ae_2', 'country'));
    await auditLog.append(throttle('ae_3', 'prefix'));
    const all = await samples(registry, 'checkpoint_pumping_throttles_total');
    expect(all.map(({ labels, value }) => [labels, value])).toEqual(
      expect.arrayContaining([
        [{ scope: 'prefix' }, 2],
        [{ scope: 'country' }, 1],
      ]),
    );
    expect(JSON.stringify(all)).not.toContain('+44791112');
  });
});

describe('metricsAuditLog after a scripted set of flows', () => {
  it('counts sends, checks, blocks, fallbacks, receipts, outcomes and opt-outs', async () => {
    const registry = new Registry();
    const auditLog = metricsAuditLog(new MemoryAuditLog(), { registry });
    const { checkpoint } = await runScript(auditLog);
    await checkpoint.close();
    const c = (name: string, labels: Record<string, string> = {}) =>
      count(registry, `checkpoint_${name}`, labels);

    expect(await c('verifications_started_total')).toBe(5);
    expect(await c('verifications_started_total', { purpose: 'login' })).toBe(4);
    expect(await c('sends_total', { channel: 'sms', outcome: 'accepted' })).toBe(5);
    expect(await c('sends_total', { channel: 'voice', outcome: 'accepted' })).toBe(1);
    expect(
      await c('sends_total', { channel: 'flaky', outcome: 'failed', reason: 'channel_error' }),
    ).toBe(1);
    expect(await c('checks_total', { result: 'approved' })).toBe(3);
    expect(await c('checks_total', { result: 'failed', purpose: 'login', channel: 'sms' })).toBe(1);
    expect(
      await c('blocks_total', {
        code: 'fraud_detected',
        reason: 'pumping:prefix_conversion',
        purpose: 'signup',
      }),
    ).toBe(1);
    expect(
      await c('fallbacks_total', {
        from: 'sms',
        to: 'voice',
        result: 'escalated',
        reason: 'receipt_undelivered',
      }),
    ).toBe(1);
    expect(
      await c('delivery_receipts_total', {
        channel: 'sms',
        status: 'undelivered',
        error_code: '30003',
      }),
    ).toBe(1);
    expect(
      await c('delivery_receipts_total', { channel: 'voice', status: 'delivered', error_code: '' }),
    ).toBe(1);
    expect(await c('verifications_ended_total', { status: 'approved' })).toBe(3);
    expect(await c('verifications_ended_total', { status: 'expired' })).toBe(2);
    expect(await c('opt_outs_total', { medium: 'sms', action: 'opted_out' })).toBe(1);
    expect(await c('audit_append_errors_total')).toBe(0);

    // Histograms: time to verify 12 s, 40 s and 20 s; delivery latency 3 s (sms) and 2 s (voice).
    const ttv = await samples(registry, 'checkpoint_time_to_verify_seconds');
    const add = (suffix: string, labels: Record<string, string> = {}) =>
      ttv
        .filter(
          (s) =>
            s.metricName === `checkpoint_time_to_verify_seconds_${suffix}` &&
            Object.entries(labels).every(([key, value]) => s.labels[key] === value),
        )
        .reduce((acc, s) => acc + s.value, 0);
    expect({ sum: add('sum'), count: add('count') }).toEqual({ sum: 72, count: 3 });
    expect({
      sms: add('count', { channel: 'sms' }),
      voice: add('count', { channel: 'voice' }),
    }).toEqual({
      sms: 2,
      voice: 1,
    });
    const within30 = ttv.filter(
      (s) => s.metricName === 'checkpoint_time_to_verify_seconds_bucket' && s.labels.le === 30,
    );
    expect(within30.reduce((acc, s) => acc + s.value, 0)).toBe(2);
    const latency = await samples(registry, 'checkpoint_delivery_latency_seconds');
    const latencySum = latency
      .filter((s) => s.metricName === 'checkpoint_delivery_latency_seconds_sum')
      .reduce((acc, s) => acc + s.value, 0);
    expect(latencySum).toBe(5);
  });

  it('adds a tenant label only when asked, and caps how many values a label may take', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), {
      registry,
      tenantLabel: true,
      maxLabelValues: 2,
    });
    const base = { type: 'verification.requested', at: 1 } as const;
    for (const [index, purpose] of ['login', 'signup', 'data_export', 'billing_change'].entries()) {
      await log.append({
        ...base,
        id: `ae_${index}`,
        tenantId: index < 2 ? 'acme' : `t${index}`,
        purpose,
      });
    }
    const values = await samples(registry, 'checkpoint_verifications_started_total');
    expect(values.map((s) => `${s.labels.tenant}/${s.labels.purpose}`).sort()).toEqual([
      'acme/login',
      'acme/signup',
      'other/other',
      't2/other',
    ]);
    const plain = new Registry();
    const untagged = metricsAuditLog(new MemoryAuditLog(), { registry: plain });
    await untagged.append({ ...base, id: 'ae_x', tenantId: 'acme', purpose: 'login' });
    expect(await plain.metrics()).not.toContain('tenant=');
  });

  it('never puts a destination, an IP or long digits into a label, whatever an event holds', async () => {
    const registry = new Registry();
    const log = metricsAuditLog(new MemoryAuditLog(), { registry });
    const hostile: AuditEvent = {
      id: 'ae_h',
      type: 'verification.blocked',
      at: 1,
      tenantId: 'acme',
      purpose: 'login',
      result: 'jane@example.com',
      reasons: ['+14155550100', '203.0.113.9', '4155550100', 'ok_reason', 'a"b\nc'],
    };
    await log.append(hostile);
    const text = await registry.metrics();
    for (const secret of ['example.com', '4155550100', '203.0.113.9', 'a"b'])
      expect(text).not.toContain(secret);
    expect(
      await count(registry, 'checkpoint_blocks_total', { code: 'other', reason: 'ok_reason' }),
    ).toBe(1);
  });

  it('counts and rethrows a failure of the wrapped log, and reads from it', async () => {
    const registry = new Registry();
    const inner = new MemoryAuditLog();
    const failing: AuditLog = {
      append: () => Promise.reject(new Error('disk full')),
      byVerification: (id) => inner.byVerification(id),
      query: (q) => inner.query(q),
    };
    const log = metricsAuditLog(failing, { registry });
    await expect(
      log.append({ id: 'ae_f', type: 'verification.requested', at: 1, tenantId: 'acme' }),
    ).rejects.toThrow('disk full');
    expect(await count(registry, 'checkpoint_audit_append_errors_total', {})).toBe(1);
    expect(await count(registry, 'checkpoint_verifications_started_total', {})).toBe(1);
    expect(() => metricsAuditLog({} as AuditLog)).toThrow(TypeError);
    expect(() => metricsAuditLog(inner, { prefix: 'bad prefix' })).toThrow(TypeError);
  });

  it('shares one set of metrics between wrappers on the same registry', async () => {
    const registry = new Registry();
    const a = metricsAuditLog(new MemoryAuditLog(), { registry });
    const b = metricsAuditLog(new MemoryAuditLog(), { registry });
    await a.append({
      id: 'ae_a',
      type: 'verification.requested',
      at: 1,
      tenantId: 'acme',
      purpose: 'login',
    });
    await b.append({
      id: 'ae_b',
      type: 'verification.requested',
      at: 1,
      tenantId: 'acme',
      purpose: 'login',
    });
    expect(
      await count(registry, 'checkpoint_verifications_started_total', { purpose: 'login' }),
    ).toBe(2);
  });
});
