import { createCheckpoint, outboxChannel } from '@checkpoint/core';

/**
 * The README's usage example: send a code, check a wrong one and the right one, read the audit
 * trail. The outbox channel stands in for SMS so the example can read the code it "sent".
 */
export async function quickstart(log: (line: string) => void = console.log): Promise<string[]> {
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret: process.env.CHECKPOINT_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef',
    channels: [sms],
  });

  const to = '+14155550100';
  const { id, channel, expiresAt } = await checkpoint.send({
    to,
    purpose: 'signup',
    context: { ip: '203.0.113.7' },
  });
  log(
    `sent a code over ${channel} for verification ${id}, valid until ${new Date(expiresAt).toISOString()}`,
  );

  const code = sms.latest(to)?.code ?? ''; // in a real app the user types this
  const wrong = await checkpoint.check({ id, code: code === '000000' ? '111111' : '000000' });
  log(`wrong code -> ${wrong.status}, ${wrong.remainingAttempts} attempts left`);
  const right = await checkpoint.check({ id, code });
  log(`right code -> ${right.status}`);

  const trail = (await checkpoint.audit(id)).map(
    (event) => `${event.type}${event.result ? ` (${event.result})` : ''}`,
  );
  log(`audit trail: ${trail.join(', ')}`);
  await checkpoint.close();
  return [wrong.status, right.status];
}
