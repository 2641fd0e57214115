import { randomInt } from 'node:crypto';
import { type Factor, factor } from '@checkpoint/policy';
import { emit } from '../events/FactorEvent.js';
import { checkOwner, countAttempt, ownerContext, type Runtime, stored } from '../runtime.js';
import type { FactorOwner } from '../store/FactorStore.js';

/** Settings of recovery codes (`createFactors({ recoveryCodes })`). */
export interface RecoveryCodeSettings {
  /** Codes in a set. @default 10 */
  count?: number;
}

/** The outcome of a recovery code: `approved` spends it, for good. */
export type RecoveryCodeResult =
  | { status: 'approved'; factor: Factor; remaining: number }
  | { status: 'failed' };

/** Single-use recovery codes: the way back for a user who lost their phone. */
export interface RecoveryCodes {
  /**
   * Makes a new set and returns it — the only time the codes are ever seen: only keyed hashes are
   * kept. The previous set, used or not, stops working.
   */
  generate(input: { owner: FactorOwner }): Promise<{ codes: string[]; createdAt: number }>;
  /** Spends a code: of any number of concurrent uses of one code, exactly one is approved. */
  use(input: { owner: FactorOwner; code: string }): Promise<RecoveryCodeResult>;
  /** How many unused codes are left, and when the set was made; null when none was made. */
  status(owner: FactorOwner): Promise<{ remaining: number; createdAt: number } | null>;
  /** Removes the set; false when there was none. */
  remove(input: { owner: FactorOwner }): Promise<boolean>;
}

// Crockford's Base32 alphabet: no i, l, o or u, so codes survive being read aloud or copied by hand.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** Characters in a code: 10 × 5 bits = 50 bits, far above NIST's 20-bit floor for look-up secrets. */
export const RECOVERY_CODE_LENGTH = 10;

/** @internal A code as the user may type it: case, spaces and dashes ignored, o→0, i/l→1. */
export function normaliseRecoveryCode(code: string): string | undefined {
  const plain = code.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return plain.length === RECOVERY_CODE_LENGTH && [...plain].every((c) => ALPHABET.includes(c))
    ? plain
    : undefined;
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** @internal */
export function createRecoveryCodes(
  runtime: Runtime,
  settings: RecoveryCodeSettings = {},
): RecoveryCodes {
  const { count = 10 } = settings;
  if (!Number.isInteger(count) || count < 4 || count > 20) {
    throw new TypeError('createFactors recoveryCodes.count must be 4 to 20');
  }
  const context = (owner: FactorOwner) => ownerContext('recovery-code', owner);

  return {
    async generate({ owner: given }) {
      const owner = checkOwner(given, 'recoveryCodes.generate');
      const createdAt = runtime.now();
      const codes = new Set<string>();
      while (codes.size < count) codes.add(newCode());
      const hashes = [...codes].map((code) =>
        runtime.keys.hashCode(context(owner), normaliseRecoveryCode(code) as string),
      );
      await stored('replaceRecoveryCodes', () =>
        runtime.store.replaceRecoveryCodes(owner, { hashes, createdAt }),
      );
      await emit(runtime, {
        type: 'recovery_codes.generated',
        ...owner,
        method: 'recovery-code',
        at: createdAt,
        data: { count },
      });
      return { codes: [...codes], createdAt };
    },

    async use({ owner: given, code }) {
      const owner = checkOwner(given, 'recoveryCodes.use');
      await countAttempt(runtime, 'recovery-code', owner);
      const plain =
        typeof code === 'string' && code.length <= 32 ? normaliseRecoveryCode(code) : undefined;
      if (plain === undefined) return { status: 'failed' };
      const candidates = runtime.keys.codeCandidates(context(owner), plain);
      const result = await stored('useRecoveryCode', () =>
        runtime.store.useRecoveryCode(owner, candidates),
      );
      if (!result.used) return { status: 'failed' };
      const at = runtime.now();
      await emit(runtime, {
        type: 'recovery_code.used',
        ...owner,
        method: 'recovery-code',
        at,
        data: { remaining: result.remaining },
      });
      return {
        status: 'approved',
        remaining: result.remaining,
        factor: factor('recovery-code', {
          at,
          codeLength: RECOVERY_CODE_LENGTH,
          source: 'recovery-code',
        }),
      };
    },

    async status(given) {
      const owner = checkOwner(given, 'recoveryCodes.status');
      return stored('recoveryCodes', () => runtime.store.recoveryCodes(owner));
    },

    async remove({ owner: given }) {
      const owner = checkOwner(given, 'recoveryCodes.remove');
      const held = await stored('recoveryCodes', () => runtime.store.recoveryCodes(owner));
      if (held === null) return false;
      await stored('replaceRecoveryCodes', () =>
        runtime.store.replaceRecoveryCodes(owner, { hashes: [], createdAt: runtime.now() }),
      );
      await emit(runtime, {
        type: 'factor.removed',
        ...owner,
        method: 'recovery-code',
        at: runtime.now(),
      });
      return true;
    },
  };
}
