import type { AuditEventType } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { auditEvent } from '../fixtures/events.js';
import { toWebhookEvent, webhookIdFor } from './toWebhookEvent.js';

describe('toWebhookEvent', () => {
  it.each<[AuditEventType, string | undefined, string | undefined]>([
    ['verification.approved', 'approved', 'verification.approved'],
    ['verification.checked', 'failed', 'verification.failed'],
    ['verification.checked', 'max_attempts', 'verification.failed'],
    ['verification.checked', 'approved', undefined],
    ['verification.checked', 'expired', undefined],
    ['verification.expired', 'expired', 'verification.expired'],
    ['verification.dispatch_failed', 'channel_unavailable', 'verification.delivery_failed'],
    ['delivery.receipt', 'failed', 'verification.delivery_failed'],
    ['delivery.receipt', 'undelivered', 'verification.delivery_failed'],
    ['delivery.receipt', 'delivered', undefined],
    ['verification.fallback', 'escalated', 'verification.fallback'],
    ['verification.blocked', 'rate_limited', 'verification.blocked'],
    ['verification.requested', undefined, undefined],
    ['verification.dispatched', 'sent', undefined],
    ['verification.canceled', undefined, undefined],
    ['tenant.configured', undefined, undefined],
    ['factor.enrolled', 'totp', 'factor.enrolled'],
    ['factor.removed', 'totp', 'factor.removed'],
    ['recovery_codes.generated', 'recovery-code', 'recovery_codes.generated'],
    ['recovery_code.used', 'recovery-code', 'recovery_code.used'],
    ['device.remembered', 'remembered-device', 'device.remembered'],
    ['device.revoked', 'remembered-device', 'device.revoked'],
    ['checkpoint.cooldown_started', 'started', 'checkpoint.cooldown_started'],
    ['checkpoint.cooldown_refused', 'self_approval', 'checkpoint.cooldown_refused'],
    ['checkpoint.cooldown_approved', 'approved', 'checkpoint.cooldown_approved'],
    ['checkpoint.frequency_refused', 'rate_limited', 'checkpoint.frequency_refused'],
    ['checkpoint.notified', 'sent', 'checkpoint.notified'],
    ['api_key.created', 'created', 'api_key.created'],
    ['api_key.rotated', 'rotated', 'api_key.rotated'],
  ])('maps %s (%s) to %s', (type, result, expected) => {
    expect(
      toWebhookEvent(auditEvent({ type, ...(result === undefined ? {} : { result }) }))?.type,
    ).toBe(expected);
  });

  it('carries the documented fields, the masked destination and no hash, context or code', () => {
    const event = auditEvent({
      type: 'verification.checked',
      result: 'failed',
      reasons: ['destination_failures'],
      data: { attempt: 2, remainingAttempts: 3 },
    });
    const webhook = toWebhookEvent(event);
    expect(webhook).toEqual({
      type: 'verification.failed',
      timestamp: '2026-11-22T12:00:00.000Z',
      data: {
        tenantId: 'acme',
        verificationId: 'vf_AbCd0123456789abcdefghijk',
        purpose: 'login',
        channel: 'sms',
        result: 'failed',
        reasons: ['destination_failures'],
        userId: null,
        destination: { kind: 'phone', masked: '+1********00', country: 'US' },
      },
    });
    const body = JSON.stringify(webhook);
    expect(body).not.toContain('h_destination_hash_never_sent');
    expect(body).not.toContain('203.0.113.9');
  });

  it('keeps the shape with nulls when facts are missing (a send blocked before it began)', () => {
    const webhook = toWebhookEvent({
      id: 'ae_blocked',
      type: 'verification.blocked',
      at: 0,
      tenantId: 'acme',
      result: 'invalid_number',
    });
    expect(webhook?.data).toEqual({
      tenantId: 'acme',
      verificationId: null,
      purpose: null,
      channel: null,
      result: 'invalid_number',
      reasons: [],
      userId: null,
      destination: null,
    });
  });

  it('tells whose factors changed, and nothing else of the event (@checkpoint/factors)', () => {
    const webhook = toWebhookEvent({
      id: 'ae_used',
      type: 'recovery_code.used',
      at: Date.parse('2026-11-22T12:00:00.000Z'),
      tenantId: 'acme',
      result: 'recovery-code',
      data: { userId: 'u_42', method: 'recovery-code', remaining: 9 },
    });
    expect(webhook).toEqual({
      type: 'recovery_code.used',
      timestamp: '2026-11-22T12:00:00.000Z',
      data: {
        tenantId: 'acme',
        verificationId: null,
        purpose: null,
        channel: null,
        result: 'recovery-code',
        reasons: [],
        userId: 'u_42',
        destination: null,
      },
    });
  });
});

describe('webhookIdFor', () => {
  it('derives msg_ ids from audit event ids, stable and without dots', () => {
    expect(webhookIdFor('ae_3q2-Zx_9')).toBe('msg_3q2-Zx_9');
    expect(webhookIdFor('ae_3q2-Zx_9')).toBe(webhookIdFor('ae_3q2-Zx_9'));
    const hashed = webhookIdFor('custom.id/with spaces');
    expect(hashed).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
    expect(webhookIdFor('custom.id/with spaces')).toBe(hashed);
  });
});
