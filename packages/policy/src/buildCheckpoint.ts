import { CHECKPOINTS, type Checkpoint, isCheckpointName } from './catalogue.js';
import { isMethod, METHODS, type Method } from './Factor.js';
import { checkAal, checkMaxAge, isRecord, shown } from './guards.js';

// The same shape as @checkpoint/core's verification purpose, so a checkpoint name can be a purpose.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const OVERRIDE_KEYS = new Set(['aal', 'maxAgeSeconds', 'methods', 'phishingResistant']);

/** @internal Throws unless `name` can name a checkpoint. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(
      `${what} must be a checkpoint name: 1-64 letters, digits, _ . : or -, got ${shown(name)}`,
    );
  }
  return name;
}

/** @internal Validates a whole checkpoint (built, merged or passed to evaluate) and freezes a copy. */
export function checkCheckpoint(value: unknown, what: string): Checkpoint {
  if (!isRecord(value)) {
    throw new TypeError(`${what} must be a checkpoint { name, aal, maxAgeSeconds, methods }`);
  }
  const name = checkName(value.name, `${what}.name`);
  const aal = checkAal(value.aal, `${what}.aal`);
  const maxAgeSeconds = checkMaxAge(value.maxAgeSeconds, `${what}.maxAgeSeconds`);
  const methods = checkMethods(value.methods, `${what}.methods`);
  const { phishingResistant } = value;
  if (phishingResistant !== undefined && typeof phishingResistant !== 'boolean') {
    throw new TypeError(`${what}.phishingResistant must be true or false`);
  }
  if (aal === 3 && !methods.includes('webauthn') && !methods.includes('sso')) {
    // Only a WebAuthn credential or a trusted IdP's phrh assertion can reach AAL3 (NIST rev 4 §2.3).
    throw new TypeError(`${what}.methods must include 'webauthn' (or 'sso') for aal 3`);
  }
  if (methods.includes('remembered-device') && name !== 'login') {
    // A remembered browser skips the login's second factor, never a step-up.
    throw new TypeError(
      `${what}.methods may list 'remembered-device' only for the login checkpoint`,
    );
  }
  const checkpoint: Checkpoint = { name, aal, maxAgeSeconds, methods };
  if (phishingResistant !== undefined) checkpoint.phishingResistant = phishingResistant;
  return Object.freeze(checkpoint);
}

function checkMethods(value: unknown, what: string): readonly Method[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${what} must be a non-empty array of methods (${METHODS.join(', ')})`);
  }
  const methods = Array.from(value as unknown[], (method) => {
    if (!isMethod(method)) {
      throw new TypeError(`${what} holds ${shown(method)}; methods are ${METHODS.join(', ')}`);
    }
    return method;
  });
  if (new Set(methods).size !== methods.length) {
    throw new TypeError(`${what} lists a method twice`);
  }
  return Object.freeze(methods);
}

/**
 * @internal The checkpoint `name` with a tenant override merged onto the built-in one. With
 * `emailOtpCountsAsFactor`, built-in method lists of AAL1/AAL2 checkpoints gain 'otp-email' at the
 * end (an explicit `methods` override is taken as written).
 */
export function buildCheckpoint(
  name: string,
  override: unknown,
  emailOtpCountsAsFactor: boolean,
  what: string,
): Checkpoint {
  checkName(name, what);
  const base = isCheckpointName(name) ? CHECKPOINTS[name] : undefined;
  if (override !== undefined && !isRecord(override)) {
    throw new TypeError(`${what} must be an object such as { aal: 3, methods: ['webauthn'] }`);
  }
  // An explicit undefined (possible from JavaScript callers) means "not overridden".
  const given = Object.fromEntries(
    Object.entries(override ?? {}).filter(([, value]) => value !== undefined),
  );
  for (const key of Object.keys(given)) {
    if (!OVERRIDE_KEYS.has(key)) {
      throw new TypeError(
        `${what} has an unknown field ${shown(key)}; pass aal, maxAgeSeconds, methods or phishingResistant`,
      );
    }
  }
  if (base === undefined) {
    if (override === undefined) {
      throw new TypeError(
        `unknown checkpoint ${shown(name)}: use a built-in one (${Object.keys(CHECKPOINTS).join(', ')}) or define it in tenant.stepUp with aal, maxAgeSeconds and methods`,
      );
    }
    if (
      given.aal === undefined ||
      given.maxAgeSeconds === undefined ||
      given.methods === undefined
    ) {
      throw new TypeError(
        `${what} defines a checkpoint that is not built in: pass aal, maxAgeSeconds and methods (built-in names: ${Object.keys(CHECKPOINTS).join(', ')})`,
      );
    }
  }
  const merged: Record<string, unknown> = { ...base, ...given, name };
  if (
    emailOtpCountsAsFactor &&
    given.methods === undefined &&
    Array.isArray(merged.methods) &&
    !merged.methods.includes('otp-email') &&
    merged.aal !== 3
  ) {
    merged.methods = [...(merged.methods as unknown[]), 'otp-email'];
  }
  return checkCheckpoint(merged, what);
}
