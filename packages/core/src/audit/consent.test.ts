// A compliance reviewer asks what the user agreed to: consent evidence must reach the audit trail intact.
import { describe, expect, it } from 'vitest';
import { outboxChannel } from '../channels/outboxChannel.js';
import { isCheckpointError } from '../errors/CheckpointError.js';
import { createCheckpoint } from '../lifecycle/createCheckpoint.js';
import { MemoryAuditLog } from './MemoryAuditLog.js';
import { exportAudit } from './exportAudit.js';

const TO = '+14155550100';
const CONSENT = 'sms-terms-v3 accepted 2026-11-22T10:00:00Z (record cr_81)';

function setUp() {
  const sms = outboxChannel({ name: 'sms' });
  const auditLog = new MemoryAuditLog();
  const checkpoint = createCheckpoint({
    secret: 'consent-tests-secret-0123456789abcdefgh',
    channels: [sms],
    auditLog,
  });
  return { sms, auditLog, checkpoint };
}

describe('context.consent', () => {
  it('is carried into the request and check events with the rest of the context', async () => {
    const { sms, auditLog, checkpoint } = setUp();
    const context = {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      deviceId: 'dev-42',
      consent: CONSENT,
    };
    const { id } = await checkpoint.send({ to: TO, purpose: 'signup', context });
    await checkpoint.check({ id, code: sms.latest(TO)?.code ?? '', context });
    const events = await checkpoint.audit(id);
    for (const type of [
      'verification.requested',
      'verification.checked',
      'verification.approved',
    ]) {
      expect(events.find((item) => item.type === type)?.context).toEqual(context);
    }
    let csv = '';
    for await (const chunk of exportAudit(auditLog.query({ tenantId: 'default' }), 'csv'))
      csv += chunk;
    expect(csv.split('\r\n')[0]).toContain('context.consent');
    expect(csv).toContain(CONSENT);
    await checkpoint.close();
  });

  it('is refused when it is not 1 to 256 printable characters', async () => {
    const { checkpoint } = setUp();
    for (const consent of ['', 'x'.repeat(257), 'line\nbreak', 42]) {
      const error: unknown = await checkpoint
        .send({ to: TO, purpose: 'signup', context: { consent } as never })
        .catch((caught: unknown) => caught);
      expect(isCheckpointError(error) && error.code).toBe('invalid_request');
    }
    await checkpoint.close();
  });
});
