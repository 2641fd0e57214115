// Threat: a leaked store dump, audit export or log file must not hand out live codes.
import { describe, expect, it } from 'vitest';
import { exportAudit } from '../audit/exportAudit.js';
import { consoleChannel } from '../channels/consoleChannel.js';
import { harness } from '../testing/harness.js';

const TO = '+14155550100';

describe('codes stay secret', () => {
  it('keeps no plaintext code in the store, the audit log, its exports, or the logs, through a full life cycle', async () => {
    const { checkpoint, clock, store, auditLog, logger, sms, voice, email } = harness();
    const both = { phone: TO, email: 'jane@example.com' };
    await checkpoint.configure('default', { velocity: { destination: [] } });
    const ids: string[] = [];
    for (const purpose of ['signup', 'login', 'billing_change']) {
      const { id } = await checkpoint.send({
        to: both,
        purpose,
        context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      });
      ids.push(id);
      await checkpoint.check({ id, code: sms.latest(TO)?.code === '000000' ? '000001' : '000000' });
      await clock.advance(30_000); // fallback to voice
      await clock.advance(30_000); // and on to email
      await clock.advance(120_000); // the cooldown after three sends
      await checkpoint.resend(id, { channel: 'sms' });
    }
    await checkpoint.check({ id: ids[0] ?? '', code: sms.latest(TO)?.code ?? '' });
    await clock.advance(600_000); // the rest expire
    const codes = new Set(
      [...sms.messages, ...voice.messages, ...email.messages].map((message) => message.code),
    );
    expect(codes.size).toBeGreaterThanOrEqual(9);

    let csv = '';
    for await (const chunk of exportAudit(auditLog.query({ tenantId: 'default' }), 'csv'))
      csv += chunk;
    let jsonl = '';
    for await (const chunk of auditLog.export({ tenantId: 'default' }, 'jsonl')) jsonl += chunk;
    const places = {
      store: store.dump(),
      audit: auditLog.dump(),
      csv,
      jsonl,
      logs: logger.lines.join('\n'),
    };
    expect(logger.lines.length).toBeGreaterThan(10);
    for (const [place, text] of Object.entries(places)) {
      for (const code of codes) {
        // The code as a token of its own: the same six digits inside a timestamp do not count.
        const found = new RegExp(`(?<![0-9])${code}(?![0-9])`).test(text);
        expect({ place, found }).toEqual({ place, found: false });
      }
    }
    // Destinations appear masked in logs and audit; never in full.
    for (const text of [places.audit, places.logs, csv]) {
      expect(text).not.toContain('4155550100');
      expect(text).not.toContain('jane@example.com');
    }
  });

  it('prints codes only through the development console channel, which is opt-in', async () => {
    const lines: string[] = [];
    const { checkpoint } = harness({
      channels: [consoleChannel({ name: 'sms', write: (line) => lines.push(line) })],
    });
    await checkpoint.send({ to: TO, purpose: 'login' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\d{6} is your Checkpoint verification code/);
  });
});
