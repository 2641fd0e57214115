import { randomBytes } from 'node:crypto';
import { CheckpointError } from '@checkpoint/core';
import { type Factor, factor } from '@checkpoint/policy';
import { generateSecret } from 'otplib';
import { emit } from '../events/FactorEvent.js';
import { checkOwner, countAttempt, ownerContext, type Runtime, stored } from '../runtime.js';
import type { FactorOwner, TotpRecord } from '../store/FactorStore.js';
import { enrolmentImage } from './otpauthUri.js';
import { matchStep } from './totpCode.js';

/** Settings of the authenticator-app factor (`createFactors({ totp })`). */
export interface TotpSettings {
  /** The name the app shows above the account (your product). */
  issuer: string;
  /** Time steps accepted either side of now (clock skew). NIST/RFC 6238 recommend at most 1. @default 1 */
  window?: 0 | 1 | 2;
  /** How long an enrolment waits for its first code, in seconds. @default 600 */
  enrolmentTtlSeconds?: number;
  /** Bytes of the shared secret; NIST SP 800-63B §3.1.4 asks for at least 112 bits. @default 20 */
  secretBytes?: number;
}

/** What `totp.enrol` returns: show `qrSvg` (or `secret` for typing in) once, then ask for a code. */
export interface TotpEnrolment {
  id: string;
  /** Base32, for users who type it into the app. Show it once; it is stored only sealed. */
  secret: string;
  /** `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` */
  uri: string;
  /** The URI as a QR code, an SVG document made locally (no network). */
  qrSvg: string;
  /** Epoch ms after which the enrolment must be started again. */
  expiresAt: number;
}

/** The outcome of a TOTP code check: `failed` covers a wrong code, one outside the window and a replay. */
export type TotpResult =
  | { status: 'approved'; factor: Factor }
  | { status: 'failed' }
  | { status: 'not_enrolled' };

/** The authenticator-app factor: enrolment, confirmation, checks and removal. */
export interface TotpFactor {
  /** Starts (or restarts) an enrolment; an app already confirmed stays in use until the new one is confirmed. */
  enrol(input: { owner: FactorOwner; accountName: string }): Promise<TotpEnrolment>;
  /** Confirms the enrolment with a first code; the app becomes the owner's (replacing an older one). */
  confirm(input: { owner: FactorOwner; id: string; code: string }): Promise<TotpResult>;
  /** Checks a code of the confirmed app: within ±`window` steps, and never a step accepted before. */
  verify(input: { owner: FactorOwner; code: string }): Promise<TotpResult>;
  /** Whether the owner has a confirmed app (and an enrolment under way). */
  status(
    owner: FactorOwner,
  ): Promise<{ enrolled: boolean; confirmedAt?: number; pending: boolean }>;
  /** Removes the owner's app; false when there was none. */
  remove(input: { owner: FactorOwner }): Promise<boolean>;
}

const DIGITS = 6;
const PERIOD = 30;

/** @internal */
export function createTotp(runtime: Runtime, settings: TotpSettings): TotpFactor {
  const { issuer, window = 1, enrolmentTtlSeconds = 600, secretBytes = 20 } = settings;
  if (typeof issuer !== 'string' || issuer === '' || issuer.includes(':')) {
    throw new TypeError(
      "createFactors needs totp.issuer: your product's name as authenticator apps show it, without ':'",
    );
  }
  if (![0, 1, 2].includes(window))
    throw new TypeError('createFactors totp.window must be 0, 1 or 2');
  if (!Number.isInteger(secretBytes) || secretBytes < 16 || secretBytes > 64) {
    throw new TypeError(
      'createFactors totp.secretBytes must be 16 to 64 (NIST: at least 112 bits)',
    );
  }
  if (!Number.isInteger(enrolmentTtlSeconds) || enrolmentTtlSeconds < 60) {
    throw new TypeError('createFactors totp.enrolmentTtlSeconds must be a whole number >= 60');
  }

  const context = (owner: FactorOwner, id: string) => ownerContext('totp', owner, id);
  const secretOf = (owner: FactorOwner, record: TotpRecord): string => {
    const opened = runtime.keys.open(record.secret, context(owner, record.id));
    if (opened === undefined) {
      // A key removed from the rotation, or a tampered record: refuse, never pass.
      throw new CheckpointError(
        'store_unavailable',
        'a stored authenticator secret cannot be opened with the configured secrets',
        { reasons: ['factors:sealed_secret'] },
      );
    }
    return Buffer.from(opened).toString('utf8');
  };
  const step = (
    record: TotpRecord,
    secret: string,
    code: unknown,
    at: number,
  ): Promise<number | undefined> =>
    typeof code !== 'string' || code.length > 16
      ? Promise.resolve(undefined)
      : matchStep({
          secret,
          code,
          at,
          window,
          algorithm: record.algorithm,
          digits: record.digits,
          period: record.period,
        });
  const proved = (record: TotpRecord, at: number) =>
    factor('totp', { at, codeLength: record.digits, source: record.id });

  return {
    async enrol({ owner: given, accountName }) {
      const owner = checkOwner(given, 'totp.enrol');
      if (typeof accountName !== 'string' || accountName === '' || accountName.length > 128) {
        throw new CheckpointError(
          'invalid_request',
          'totp.enrol needs accountName (1-128 characters)',
        );
      }
      const now = runtime.now();
      const id = `totp_${randomBytes(16).toString('base64url')}`;
      const secret = generateSecret({ length: secretBytes });
      const record: TotpRecord = {
        id,
        secret: runtime.keys.seal(Buffer.from(secret, 'utf8'), context(owner, id)),
        algorithm: 'sha1',
        digits: DIGITS,
        period: PERIOD,
        createdAt: now,
      };
      const expiresAt = now + enrolmentTtlSeconds * 1000;
      await stored('putPendingTotp', () => runtime.store.putPendingTotp(owner, record, expiresAt));
      const image = await enrolmentImage({
        issuer,
        accountName,
        secret,
        digits: DIGITS,
        period: PERIOD,
      });
      return { id, secret, ...image, expiresAt };
    },

    async confirm({ owner: given, id, code }) {
      const owner = checkOwner(given, 'totp.confirm');
      await countAttempt(runtime, 'totp', owner);
      const now = runtime.now();
      const { pending } = await stored('getTotp', () => runtime.store.getTotp(owner, now));
      if (pending === undefined || pending.id !== id) {
        throw new CheckpointError('not_found', 'no authenticator enrolment under way; start again');
      }
      const matched = await step(pending, secretOf(owner, pending), code, now);
      if (matched === undefined) return { status: 'failed' };
      const active = await stored('activateTotp', () =>
        runtime.store.activateTotp(owner, { id, step: matched, now }),
      );
      if (active === null) {
        throw new CheckpointError('not_found', 'no authenticator enrolment under way; start again');
      }
      await emit(runtime, { type: 'factor.enrolled', ...owner, method: 'totp', at: now });
      return { status: 'approved', factor: proved(active, now) };
    },

    async verify({ owner: given, code }) {
      const owner = checkOwner(given, 'totp.verify');
      await countAttempt(runtime, 'totp', owner);
      const now = runtime.now();
      const { active } = await stored('getTotp', () => runtime.store.getTotp(owner, now));
      if (active === undefined) return { status: 'not_enrolled' };
      const secret = secretOf(owner, active);
      const matched = await step(active, secret, code, now);
      if (matched === undefined) return { status: 'failed' };
      // Sealed under a key that is no longer the first: sealed again under the current one, so
      // the old key can leave the rotation once every app has been used since.
      const resealed = runtime.keys.isStale(active.secret)
        ? {
            ...active,
            secret: runtime.keys.seal(Buffer.from(secret, 'utf8'), context(owner, active.id)),
          }
        : undefined;
      // RFC 6238 §5.2: a code accepted once is never accepted again — nor any earlier one.
      const fresh = await stored('useTotpStep', () =>
        runtime.store.useTotpStep(owner, {
          id: active.id,
          step: matched,
          ...(resealed === undefined ? {} : { resealed }),
        }),
      );
      return fresh ? { status: 'approved', factor: proved(active, now) } : { status: 'failed' };
    },

    async status(given) {
      const owner = checkOwner(given, 'totp.status');
      const state = await stored('getTotp', () => runtime.store.getTotp(owner, runtime.now()));
      return {
        enrolled: state.active !== undefined,
        ...(state.active?.confirmedAt === undefined
          ? {}
          : { confirmedAt: state.active.confirmedAt }),
        pending: state.pending !== undefined,
      };
    },

    async remove({ owner: given }) {
      const owner = checkOwner(given, 'totp.remove');
      const removed = await stored('deleteTotp', () => runtime.store.deleteTotp(owner));
      if (removed) {
        await emit(runtime, {
          type: 'factor.removed',
          ...owner,
          method: 'totp',
          at: runtime.now(),
        });
      }
      return removed;
    },
  };
}
