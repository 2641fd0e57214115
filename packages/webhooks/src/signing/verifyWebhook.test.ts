// A receiver must refuse forged, altered, stale, future-dated and replayed webhooks.
import { MemoryStore } from '@checkpoint/core';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { memoryReplayGuard, storeReplayGuard } from './ReplayGuard.js';
import { generateWebhookSecret } from './secrets.js';
import { signWebhook } from './signWebhook.js';
import { verifyWebhook } from './verifyWebhook.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const NOW_SECONDS = NOW / 1_000;
const EVENT = {
  type: 'verification.approved',
  timestamp: '2026-11-22T12:00:00.000Z',
  data: { tenantId: 't1' },
};
const BODY = JSON.stringify(EVENT);

let sequence = 0;
function signed({
  body = BODY,
  timestamp = NOW_SECONDS,
  secrets = [SECRET],
}: {
  body?: string;
  timestamp?: number;
  secrets?: string | string[];
} = {}) {
  sequence += 1;
  const id = `msg_test${sequence}`;
  return {
    id,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({ id, timestamp, body, secrets }),
    } as Record<string, string>,
  };
}

const verify = (
  headers: Record<string, string>,
  rawBody: string | Buffer = BODY,
  secrets: string | string[] = SECRET,
) => verifyWebhook({ secrets, headers, rawBody, now: NOW, seen: memoryReplayGuard() });

describe('verifyWebhook', () => {
  it('returns the parsed event of a webhook signed by the reference library', async () => {
    const id = 'msg_reference';
    const signature = new Webhook(SECRET).sign(id, new Date(NOW), BODY);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(NOW_SECONDS),
      'webhook-signature': signature,
    };
    await expect(verify(headers)).resolves.toEqual(EVENT);
    await expect(verify(headers, Buffer.from(BODY))).resolves.toEqual(EVENT);
  });

  it('reads headers in any case, and from a fetch Headers object', async () => {
    const { headers } = signed();
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verify(upper)).resolves.toEqual(EVENT);
    await expect(
      verifyWebhook({
        secrets: SECRET,
        headers: new Headers(headers),
        rawBody: BODY,
        now: NOW,
        seen: false,
      }),
    ).resolves.toEqual(EVENT);
  });

  it('refuses a tampered body', async () => {
    const { headers } = signed();
    const tampered = BODY.replace('verification.approved', 'verification.expired');
    await expect(verify(headers, tampered)).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['signature'],
    });
  });

  it('refuses a re-serialised body that means the same JSON', async () => {
    const { headers } = signed();
    await expect(verify(headers, JSON.stringify(EVENT, null, 2))).rejects.toMatchObject({
      code: 'authentication_failed',
    });
  });

  it('refuses a signature made with another secret', async () => {
    const { headers } = signed({ secrets: generateWebhookSecret() });
    await expect(verify(headers)).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['signature'],
    });
  });

  it('accepts a timestamp 300 s away and refuses one 301 s old or 301 s in the future', async () => {
    await expect(verify(signed({ timestamp: NOW_SECONDS - 300 }).headers)).resolves.toEqual(EVENT);
    await expect(verify(signed({ timestamp: NOW_SECONDS + 300 }).headers)).resolves.toEqual(EVENT);
    await expect(verify(signed({ timestamp: NOW_SECONDS - 301 }).headers)).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['timestamp'],
      message: expect.stringMatching(/too old/) as unknown,
    });
    await expect(verify(signed({ timestamp: NOW_SECONDS + 301 }).headers)).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['timestamp'],
      message: expect.stringMatching(/too new/) as unknown,
    });
  });

  it('refuses a timestamp that is not an integer, such as 1674087231abc', async () => {
    for (const timestamp of ['1674087231abc', '1674087231.5', '-1674087231', ' ', '0x63c8a0cf']) {
      const { headers } = signed();
      headers['webhook-timestamp'] = timestamp;
      await expect(verify(headers)).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });

  it('refuses missing headers and ids that contain a dot as invalid requests', async () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const { headers } = signed();
      delete headers[name];
      await expect(verify(headers)).rejects.toMatchObject({ code: 'invalid_request' });
    }
    const { headers } = signed();
    headers['webhook-id'] = 'msg.1';
    await expect(verify(headers)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses a body that verifies but is not JSON', async () => {
    const { headers } = signed({ body: 'not json' });
    await expect(verify(headers, 'not json')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('reports a replayed webhook-id within the window as a replay', async () => {
    const seen = memoryReplayGuard();
    const { headers } = signed();
    const options = { secrets: SECRET, headers, rawBody: BODY, seen };
    await expect(verifyWebhook({ ...options, now: NOW })).resolves.toEqual(EVENT);
    await expect(verifyWebhook({ ...options, now: NOW + 60_000 })).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['replay'],
    });
  });

  it('uses a process-wide replay guard when none is given', async () => {
    const { headers } = signed();
    await expect(
      verifyWebhook({ secrets: SECRET, headers, rawBody: BODY, now: NOW }),
    ).resolves.toEqual(EVENT);
    await expect(
      verifyWebhook({ secrets: SECRET, headers, rawBody: BODY, now: NOW }),
    ).rejects.toMatchObject({
      reasons: ['replay'],
    });
  });

  it('shares replays across receivers through a Store', async () => {
    const store = new MemoryStore();
    const { headers } = signed();
    const options = { secrets: SECRET, headers, rawBody: BODY, now: NOW };
    await expect(verifyWebhook({ ...options, seen: storeReplayGuard(store) })).resolves.toEqual(
      EVENT,
    );
    await expect(
      verifyWebhook({ ...options, seen: storeReplayGuard(store) }),
    ).rejects.toMatchObject({
      reasons: ['replay'],
    });
  });

  it('does not record ids of requests that fail verification', async () => {
    const seen = memoryReplayGuard();
    const { headers } = signed();
    await expect(
      verifyWebhook({ secrets: SECRET, headers, rawBody: `${BODY} `, now: NOW, seen }),
    ).rejects.toMatchObject({ reasons: ['signature'] });
    await expect(
      verifyWebhook({ secrets: SECRET, headers, rawBody: BODY, now: NOW, seen }),
    ).resolves.toEqual(EVENT);
  });

  it('accepts a header signed with the old and the new secret, verifying with either', async () => {
    const next = generateWebhookSecret();
    const { headers } = signed({ secrets: [SECRET, next] });
    await expect(verify(headers, BODY, SECRET)).resolves.toEqual(EVENT);
    await expect(verify(headers, BODY, next)).resolves.toEqual(EVENT);
  });

  it('accepts a signature by any of several configured secrets', async () => {
    const next = generateWebhookSecret();
    await expect(verify(signed({ secrets: next }).headers, BODY, [SECRET, next])).resolves.toEqual(
      EVENT,
    );
    await expect(
      verify(signed({ secrets: SECRET }).headers, BODY, [next, SECRET]),
    ).resolves.toEqual(EVENT);
  });

  it('ignores unknown signature versions such as v2 and v1a', async () => {
    const { headers } = signed();
    const v1 = headers['webhook-signature'] ?? '';
    headers['webhook-signature'] =
      `v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,bm90IGEgc2ln ${v1}`;
    await expect(verify(headers)).resolves.toEqual(EVENT);
    headers['webhook-signature'] = `v2,${v1.slice(3)}`;
    await expect(verify(headers)).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('throws a TypeError for a missing or malformed secret', async () => {
    const { headers } = signed();
    await expect(verifyWebhook({ secrets: '', headers, rawBody: BODY })).rejects.toThrow(TypeError);
    await expect(
      verifyWebhook({ secrets: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', headers, rawBody: BODY }),
    ).rejects.toThrow(/whsec_/);
  });
});
