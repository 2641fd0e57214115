import { describe, expect, it } from 'vitest';
import { ADA, BOB, harness } from '../fixtures/harness.js';

const DAY = 86_400_000;

async function remembered(options: Parameters<typeof harness>[0] = {}) {
  const h = harness({ devices: { secure: false }, ...options });
  const result = await h.factors.devices.remember({ owner: ADA, label: 'Firefox on Linux' });
  if (result === undefined) throw new Error('not remembered');
  const header = `other=1; ${result.cookie.name}=${encodeURIComponent(result.cookie.value)}`;
  return { ...h, ...result, header };
}

describe('devices.remember', () => {
  it('sets a signed, HttpOnly, SameSite=Lax cookie for the tenant’s number of days', async () => {
    const { cookie, device, clock } = await remembered({
      devices: { secure: false, days: (tenantId) => (tenantId === 'acme' ? 14 : 30) },
    });
    expect(device).toEqual({
      id: expect.stringMatching(/^dev_/) as unknown,
      createdAt: clock.now(),
      expiresAt: clock.now() + 14 * DAY,
      label: 'Firefox on Linux',
    });
    expect(cookie.name).toMatch(/^cp_device_[A-Za-z0-9_-]{12}$/);
    expect(cookie.value).toMatch(/^dev_[A-Za-z0-9_-]{22}\.\d+\.k0\.[A-Za-z0-9_-]{43}$/);
    expect(cookie.options).toEqual({
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
      path: '/',
      expires: new Date(device.expiresAt),
      maxAge: 14 * DAY,
    });
  });

  it('defaults to a __Host- cookie sent over HTTPS only', async () => {
    const { factors } = harness();
    const result = await factors.devices.remember({ owner: ADA });
    expect(result?.cookie.name).toMatch(/^__Host-cp_device_/);
    expect(result?.cookie.options.secure).toBe(true);
    // Removed with the attributes it was set with: a browser ignores a __Host- removal without Secure.
    expect(factors.devices.cookieToClear(ADA)).toEqual({
      name: result?.cookie.name,
      options: { httpOnly: true, secure: true, sameSite: 'lax', path: '/' },
    });
  });

  it('defaults to the tenant’s rememberDeviceDays (30 unless configured)', async () => {
    const { factors, checkpoint, clock } = harness();
    expect((await factors.devices.remember({ owner: ADA }))?.device.expiresAt).toBe(
      clock.now() + 30 * DAY,
    );
    await checkpoint.configure('acme', { rememberDeviceDays: 7 });
    expect((await factors.devices.remember({ owner: BOB }))?.device.expiresAt).toBe(
      clock.now() + 7 * DAY,
    );
    await checkpoint.configure('acme', { rememberDeviceDays: 0 });
    expect(await factors.devices.remember({ owner: ADA })).toBeUndefined();
    await expect(checkpoint.configure('acme', { rememberDeviceDays: 401 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('remembers nothing for a tenant that turned it off (0 days)', async () => {
    const { factors } = harness({ devices: { days: () => 0 } });
    expect(await factors.devices.remember({ owner: ADA })).toBeUndefined();
  });

  it('gives each user of one browser a cookie of their own', async () => {
    const { factors } = harness();
    expect(factors.devices.cookieName(ADA)).not.toBe(factors.devices.cookieName(BOB));
  });
});

describe('devices.recognise', () => {
  it('recognises the owner’s cookie as a remembered-device factor', async () => {
    const { factors, header, device } = await remembered();
    expect(await factors.devices.recognise({ owner: ADA, cookieHeader: header })).toMatchObject({
      status: 'recognised',
      device: { id: device.id },
      factor: { method: 'remembered-device', source: device.id },
    });
  });

  it("refuses user A's cookie for user B, even under B's cookie name", async () => {
    const { factors, cookie } = await remembered();
    const asBob = `${factors.devices.cookieName(BOB)}=${cookie.value}`;
    expect(await factors.devices.recognise({ owner: BOB, cookieHeader: asBob })).toEqual({
      status: 'invalid',
    });
    expect(
      await factors.devices.recognise({
        owner: BOB,
        cookieHeader: `${cookie.name}=${cookie.value}`,
      }),
    ).toEqual({ status: 'absent' });
  });

  it('refuses an expired cookie, and one whose expiry was edited', async () => {
    const { factors, clock, header, cookie } = await remembered();
    const [id, expires, kid, mac] = cookie.value.split('.');
    const stretched = `${cookie.name}=${id}.${Number(expires) + 30 * DAY}.${kid}.${mac}`;
    expect(await factors.devices.recognise({ owner: ADA, cookieHeader: stretched })).toEqual({
      status: 'invalid',
    });
    await clock.advance(30 * DAY - 1);
    expect((await factors.devices.recognise({ owner: ADA, cookieHeader: header })).status).toBe(
      'recognised',
    );
    await clock.advance(1);
    expect(await factors.devices.recognise({ owner: ADA, cookieHeader: header })).toEqual({
      status: 'expired',
    });
  });

  it('refuses a revoked device, one by one and all at once', async () => {
    const { factors, header, device, events } = await remembered();
    const second = await factors.devices.remember({ owner: ADA });
    expect((await factors.devices.list(ADA)).map((d) => d.id)).toEqual([
      device.id,
      second?.device.id,
    ]);
    expect(await factors.devices.revoke({ owner: ADA, id: device.id })).toBe(true);
    expect(await factors.devices.recognise({ owner: ADA, cookieHeader: header })).toEqual({
      status: 'revoked',
    });
    expect(await factors.devices.revokeAll({ owner: ADA })).toBe(1);
    expect(await factors.devices.list(ADA)).toEqual([]);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['device.remembered', { deviceId: device.id, days: 30 }],
      ['device.remembered', { deviceId: second?.device.id, days: 30 }],
      ['device.revoked', { deviceId: device.id }],
      ['device.revoked', { count: 1 }],
    ]);
  });

  it('refuses garbage and a forged signature without throwing', async () => {
    const { factors, cookie } = await remembered();
    const forged = cookie.value.slice(0, -1) + (cookie.value.endsWith('A') ? 'B' : 'A');
    for (const value of ['x', 'a.b.c.d', `${cookie.value}.extra`, forged]) {
      expect(
        (await factors.devices.recognise({ owner: ADA, cookieHeader: `${cookie.name}=${value}` }))
          .status,
      ).toBe('invalid');
    }
    for (const cookieHeader of [undefined, `${cookie.name}=%E0%A4%A`]) {
      expect(await factors.devices.recognise({ owner: ADA, cookieHeader })).toEqual({
        status: 'absent',
      });
    }
  });
});
