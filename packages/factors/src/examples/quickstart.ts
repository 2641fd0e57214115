// The README's example: enrol an authenticator app, make recovery codes, remember a browser.
import { createCheckpoint, consoleChannel, MemoryStore } from '@checkpoint/core';
import { createFactors, MemoryFactorStore, totpCode } from '../index.js';

export async function quickstart(
  secret = process.env['CHECKPOINT_SECRET'] ?? 'dev-only-secret-0123456789abcdefghij',
) {
  const checkpoint = createCheckpoint({
    secret,
    channels: [consoleChannel({ name: 'sms' })],
    store: new MemoryStore(),
  });
  const factors = createFactors({
    secret, // the same server secret: keys are derived per use
    checkpoint, // counts code guesses per user in the Checkpoint Store
    store: new MemoryFactorStore(), // RedisFactorStore from '@checkpoint/factors/redis' in production
    totp: { issuer: 'Acme Console' },
    onEvent: (event) => console.log('announce to the user:', event.type),
  });
  // A browser is remembered for the tenant's rememberDeviceDays (30 unless set; 0 turns it off).
  await checkpoint.configure('acme', { rememberDeviceDays: 14 });
  const owner = { tenantId: 'acme', userId: 'u_42' };

  // 1. Enrolment (behind a fresh step-up in your app): show the QR code, then ask for a code.
  const enrolment = await factors.totp.enrol({ owner, accountName: 'ada@acme.example' });
  // enrolment.qrSvg is an <svg> document; enrolment.uri is otpauth://totp/Acme%20Console:…
  const first = await totpCode({ secret: enrolment.secret, at: Date.now() }); // what the phone shows
  const confirmed = await factors.totp.confirm({ owner, id: enrolment.id, code: first });

  // 2. Later, at login or a step-up: the same code is never accepted twice.
  const replay = await factors.totp.verify({ owner, code: first });

  // 3. Recovery codes: shown once, kept only as keyed hashes, each usable once.
  const { codes } = await factors.recoveryCodes.generate({ owner });
  const recovered = await factors.recoveryCodes.use({ owner, code: codes[0] ?? '' });

  // 4. "Remember this browser" after a second factor: set the cookie, recognise it next time.
  const remembered = await factors.devices.remember({ owner });
  const header = `${remembered?.cookie.name}=${remembered?.cookie.value}`;
  const seen = await factors.devices.recognise({ owner, cookieHeader: header });

  return {
    confirmed: confirmed.status, // 'approved'
    replay: replay.status, // 'failed'
    codes: codes.length, // 10
    recovered: recovered.status, // 'approved'
    seen: seen.status, // 'recognised'
  };
}
