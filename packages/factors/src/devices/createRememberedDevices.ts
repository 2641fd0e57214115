import { randomBytes } from 'node:crypto';
import { CheckpointError, safeEqual } from '@checkpoint/core';
import { type Factor, factor } from '@checkpoint/policy';
import { emit } from '../events/FactorEvent.js';
import { checkOwner, ownerContext, type Runtime, stored } from '../runtime.js';
import type { FactorOwner, RememberedDevice } from '../store/FactorStore.js';
import { readCookie } from './readCookie.js';

/** Settings of remembered devices (`createFactors({ devices })`). */
export interface DeviceSettings {
  /**
   * Days a remembered browser skips the login's second factor, per tenant; 0 turns it off.
   * @default the tenant's `rememberDeviceDays` (`checkpoint.configure(tenantId, { rememberDeviceDays })`, 30 unless set)
   */
  days?: (tenantId: string) => number | Promise<number>;
  /** Cookie name; a keyed digest of the user is appended, so each user of a browser has their own. @default '__Host-cp_device' (secure) or 'cp_device' */
  cookieName?: string;
  /** Send the cookie over HTTPS only. Turn off for plain-http development and tests only. @default true */
  secure?: boolean;
}

/** The cookie to set after `remember`: pass it to `res.cookie(name, value, options)`. */
export interface DeviceCookie {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    secure: boolean;
    sameSite: 'lax';
    path: '/';
    expires: Date;
    /** Milliseconds, as Express's `res.cookie` takes it. */
    maxAge: number;
  };
}

/** The attributes a device cookie is removed with (those it was set with, minus its expiry). */
export interface ClearedCookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax';
  path: '/';
}

/** Why a device cookie was not accepted: none sent, forged or for another user, past its time, or revoked. */
export type DeviceRefusal = 'absent' | 'invalid' | 'expired' | 'revoked';

/** Remembered browsers: an opt-in, signed, HttpOnly cookie that skips the login's second factor. */
export interface RememberedDevices {
  /**
   * Remembers this browser for the owner: call it only right after a successful second factor,
   * when the user asked. Resolves undefined when the tenant turned the feature off (days = 0).
   */
  remember(input: {
    owner: FactorOwner;
    label?: string;
  }): Promise<{ device: RememberedDevice; cookie: DeviceCookie } | undefined>;
  /**
   * Reads the owner's device cookie from a `Cookie` header and accepts it only when its signature
   * (bound to this owner) holds, it has not expired and the device was not revoked. The factor
   * counts at the login checkpoint only (@checkpoint/policy), never at a step-up.
   */
  recognise(input: {
    owner: FactorOwner;
    cookieHeader: string | undefined;
  }): Promise<
    { status: 'recognised'; device: RememberedDevice; factor: Factor } | { status: DeviceRefusal }
  >;
  /** The cookie name of the owner. */
  cookieName(owner: FactorOwner): string;
  /**
   * The owner's cookie as `res.clearCookie(name, options)` must name it to remove it: with the
   * attributes it was set with (a browser ignores a `__Host-` cookie's removal without `Secure`).
   */
  cookieToClear(owner: FactorOwner): { name: string; options: ClearedCookieOptions };
  /** The owner's remembered devices, oldest first. */
  list(owner: FactorOwner): Promise<RememberedDevice[]>;
  /** Forgets one device; false when it was not remembered. */
  revoke(input: { owner: FactorOwner; id: string }): Promise<boolean>;
  /** Forgets every device of the owner (e.g. after a password change); resolves how many. */
  revokeAll(input: { owner: FactorOwner }): Promise<number>;
}

const DAY_MS = 86_400_000;
const DEVICE_ID = /^dev_[A-Za-z0-9_-]{22}$/;

/** @internal */
export function createRememberedDevices(
  runtime: Runtime,
  settings: DeviceSettings = {},
): RememberedDevices {
  const { secure = true } = settings;
  const { limiter } = runtime;
  const days =
    settings.days ??
    (limiter.config === undefined
      ? () => 30
      : async (tenantId: string) => (await limiter.config?.(tenantId))?.rememberDeviceDays ?? 30);
  const base = settings.cookieName ?? (secure ? '__Host-cp_device' : 'cp_device');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(base)) {
    throw new TypeError('createFactors devices.cookieName must be 1-40 letters, digits, _ or -');
  }
  if (base.startsWith('__Host-') && !secure) {
    throw new TypeError('a __Host- cookie needs secure: true; pick another devices.cookieName');
  }
  const cookieName = (owner: FactorOwner) =>
    `${base}_${runtime.keys.digest('device-cookie', ownerContext('device', owner))}`;
  // What the signature covers: the owner, the device and its expiry. Another user's cookie, or an
  // edited expiry, does not verify.
  const payload = (owner: FactorOwner, id: string, expiresAt: number) =>
    ownerContext('device', owner, `${id}\u0000${expiresAt}`);

  const daysFor = async (tenantId: string) => {
    const value = await days(tenantId);
    if (!Number.isInteger(value) || value < 0 || value > 400) {
      throw new TypeError('createFactors devices.days(tenantId) must return a whole number 0-400');
    }
    return value;
  };

  return {
    async remember({ owner: given, label }) {
      const owner = checkOwner(given, 'devices.remember');
      const n = await daysFor(owner.tenantId);
      if (n === 0) return undefined;
      const now = runtime.now();
      const device: RememberedDevice = {
        id: `dev_${randomBytes(16).toString('base64url')}`,
        createdAt: now,
        expiresAt: now + n * DAY_MS,
      };
      if (typeof label === 'string' && label !== '') device.label = label.slice(0, 120);
      await stored('putDevice', () => runtime.store.putDevice(owner, device));
      const signature = runtime.keys.sign(payload(owner, device.id, device.expiresAt));
      await emit(runtime, {
        type: 'device.remembered',
        ...owner,
        method: 'remembered-device',
        at: now,
        data: { deviceId: device.id, days: n },
      });
      return {
        device,
        cookie: {
          name: cookieName(owner),
          value: `${device.id}.${device.expiresAt}.${signature}`,
          options: {
            httpOnly: true,
            secure,
            sameSite: 'lax',
            path: '/',
            expires: new Date(device.expiresAt),
            maxAge: device.expiresAt - now,
          },
        },
      };
    },

    async recognise({ owner: given, cookieHeader }) {
      const owner = checkOwner(given, 'devices.recognise');
      const value = readCookie(cookieHeader, cookieName(owner));
      if (value === undefined) return { status: 'absent' };
      const [id, expires, kid, mac, extra] = value.split('.');
      const expiresAt = Number(expires);
      if (
        extra !== undefined ||
        id === undefined ||
        !DEVICE_ID.test(id) ||
        !/^\d{1,15}$/.test(expires ?? '') ||
        kid === undefined ||
        mac === undefined
      ) {
        return { status: 'invalid' };
      }
      const expected = runtime.keys.signatureUnder(kid, payload(owner, id, expiresAt));
      if (expected === undefined || !safeEqual(expected, `${kid}.${mac}`)) {
        return { status: 'invalid' };
      }
      const now = runtime.now();
      if (now >= expiresAt) return { status: 'expired' };
      const device = await stored('getDevice', () => runtime.store.getDevice(owner, id, now));
      if (device === null) return { status: 'revoked' };
      return {
        status: 'recognised',
        device,
        factor: factor('remembered-device', { at: now, source: device.id }),
      };
    },

    cookieName: (given) => cookieName(checkOwner(given, 'devices.cookieName')),
    cookieToClear: (given) => ({
      name: cookieName(checkOwner(given, 'devices.cookieToClear')),
      options: { httpOnly: true, secure, sameSite: 'lax', path: '/' },
    }),

    async list(given) {
      const owner = checkOwner(given, 'devices.list');
      return stored('listDevices', () => runtime.store.listDevices(owner, runtime.now()));
    },

    async revoke({ owner: given, id }) {
      const owner = checkOwner(given, 'devices.revoke');
      if (typeof id !== 'string' || !DEVICE_ID.test(id)) {
        throw new CheckpointError('invalid_request', 'devices.revoke needs a device id (dev_…)');
      }
      const removed = await stored('deleteDevice', () => runtime.store.deleteDevice(owner, id));
      if (removed) {
        await emit(runtime, {
          type: 'device.revoked',
          ...owner,
          method: 'remembered-device',
          at: runtime.now(),
          data: { deviceId: id },
        });
      }
      return removed;
    },

    async revokeAll({ owner: given }) {
      const owner = checkOwner(given, 'devices.revokeAll');
      const count = await stored('deleteDevices', () => runtime.store.deleteDevices(owner));
      if (count > 0) {
        await emit(runtime, {
          type: 'device.revoked',
          ...owner,
          method: 'remembered-device',
          at: runtime.now(),
          data: { count },
        });
      }
      return count;
    },
  };
}
