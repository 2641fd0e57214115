// The README's example, runnable with no provider account: `pnpm --filter @checkpoint/channels example`.
// (An app imports from '@checkpoint/channels'; this file sits inside the package, hence '../index.js'.)
import { createCheckpoint } from '@checkpoint/core';
import { localizedMessages, sandboxChannel } from '../index.js';

const sms = sandboxChannel({
  name: 'sms',
  onReceipt: (receipt) => checkpoint.recordDelivery(receipt),
});
const email = sandboxChannel({
  name: 'email',
  kind: 'email',
  onReceipt: (receipt) => checkpoint.recordDelivery(receipt),
});
const checkpoint = createCheckpoint({
  secret: process.env.CHECKPOINT_SECRET ?? 'dev-only-secret-of-at-least-32-bytes!',
  channels: [sms, email],
  message: localizedMessages({ appName: 'Acme', webOtpDomain: 'console.acme.example' }),
});

// +1 NPA 555 0100: delivered. The code is read back from the sandbox and approves.
const ok = await checkpoint.send({ to: '+14155550100', purpose: 'login', locale: 'es' });
const message = sms.latest('+14155550100');
console.log(`SMS text:\n${message?.text ?? ''}\n`);
console.log('check:', (await checkpoint.check({ id: ok.id, code: message?.code ?? '' })).status);

// +1 NPA 555 0120: accepted, then a failed receipt: Checkpoint falls back to email at once.
const failing = await checkpoint.send({
  to: { phone: '+14155550120', email: 'deliver@sandbox.test' },
  purpose: 'login',
});
await sms.settled();
await email.settled();
const { deliveries } = await checkpoint.get(failing.id);
console.log('fallback:', deliveries.map((d) => `${d.channel}=${d.status}`).join(', '));

await checkpoint.close();
