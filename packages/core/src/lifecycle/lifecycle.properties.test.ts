// Threat: crafted input crashes the lifecycle or bends its state machine (SECURITY-NOTES §4 items 1-9, 46).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { outboxChannel } from '../channels/outboxChannel.js';
import { isVerificationId } from '../codes/verificationId.js';
import {
  type CheckpointError,
  type CheckpointErrorCode,
  ERROR_STATUS,
  isCheckpointError,
} from '../errors/CheckpointError.js';
import { DELIVERY_STATUSES } from '../store/deliveryState.js';
import { MemoryStore } from '../store/MemoryStore.js';
import type { VerificationStatus } from '../store/Store.js';
import { ManualClock } from '../testing/ManualClock.js';
import type { CheckStatus } from './check.js';
import { type Checkpoint, createCheckpoint } from './createCheckpoint.js';

const SECRET = 'K7vQ2mX9pL4rT8wZ1nB6cF3hJ5dS0gY2aE7uI9oP4qM';
const PHONE = '+14155550100';
const HUGE = 10_240;
const CHECK_STATUSES: readonly CheckStatus[] = [
  'approved',
  'failed',
  'expired',
  'max_attempts',
  'canceled',
];

/** Hands an arbitrary value to a typed API parameter: the point of these tests is bad input. */
const loose = <T>(value: unknown): T => value as T;

type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; code: CheckpointErrorCode; error: CheckpointError };

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a thrown ${typeof error}`;
}

/** Runs a call and insists that it either resolves or rejects with a CheckpointError of a known code. */
async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!isCheckpointError(error)) {
      throw new Error(`escaped as ${describeThrown(error)} instead of a CheckpointError`, {
        cause: error,
      });
    }
    expect(Object.keys(ERROR_STATUS)).toContain(error.code);
    expect(error.status).toBe(ERROR_STATUS[error.code]);
    return { ok: false, code: error.code, error };
  }
}

const open: Checkpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((checkpoint) => checkpoint.close()));
});

function setup(channelNames: 'all' | 'sms' = 'all') {
  const clock = new ManualClock();
  const sms = outboxChannel({ name: 'sms' });
  const voice = outboxChannel({ name: 'voice' });
  const email = outboxChannel({ name: 'email', kind: 'email' });
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: channelNames === 'all' ? [sms, voice, email] : [sms],
    store: new MemoryStore(),
    clock,
  });
  open.push(checkpoint);
  return { clock, sms, checkpoint };
}

/** A checkpoint with one pending verification for PHONE, purpose `login`, subject `user_1`. */
async function setupWithVerification() {
  const s = setup();
  const { id } = await s.checkpoint.send({ to: PHONE, purpose: 'login', subject: 'user_1' });
  const code = s.sms.latest(PHONE)?.code ?? '';
  const messageId = (await s.checkpoint.get(id)).deliveries[0]?.providerMessageId ?? '';
  return { ...s, id, code, messageId };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const huge = fc.oneof(
  fc.constantFrom(
    'x'.repeat(HUGE),
    '9'.repeat(HUGE),
    `+1${'4'.repeat(HUGE)}`,
    `${'a'.repeat(HUGE)}@example.com`,
    '\u0661'.repeat(HUGE),
    `vf_${'A'.repeat(HUGE)}`,
  ),
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 4 })
    .map((unit) => unit.repeat(Math.ceil(HUGE / unit.length))),
);
const junk = fc.oneof(
  { arbitrary: fc.anything(), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: huge, weight: 1 },
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof(fc.constant(undefined), arbitrary, junk);

const validPhone = fc.constantFrom(
  PHONE,
  '+14155550123',
  '+442071838750',
  '+4915123456789',
  '+33612345678',
  '+5511912345678',
  '+5352123456',
  '+989121234567',
);
const badPhone = fc.constantFrom(
  '+1',
  '12345',
  '+1415555010',
  '+999999999999',
  '4155550100',
  '',
  '+',
  '++14155550100',
  '\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660',
  `${PHONE}, +14155550123`,
);
const toArb = fc.oneof(
  validPhone,
  badPhone,
  fc.emailAddress(),
  fc.record(
    {
      phone: fc.oneof(validPhone, badPhone, junk),
      email: fc.oneof(fc.emailAddress(), junk),
    },
    { requiredKeys: [] },
  ),
  junk,
);
const purposeArb = fc.oneof(
  fc.constantFrom('login', 'signup', 'billing_change', 'data_export'),
  fc.stringMatching(/^[a-z][a-z0-9_.:-]{0,63}$/),
  junk,
);
const tenantArb = optional(fc.constantFrom('default', 'acme', 'constructor', '__proto__'));
const subjectArb = optional(
  fc.oneof(fc.constantFrom('user_1', 'user_2', 'a\u0000b', ''), fc.string({ maxLength: 300 })),
);
const channelsArb = optional(
  fc.oneof(
    fc.constantFrom(
      ['sms'],
      ['voice', 'sms'],
      ['email'],
      ['email', 'sms'],
      ['pager'],
      ['sms', 'sms'],
      [],
      Array.from({ length: 17 }, () => 'sms'),
    ),
    fc.array(junk, { maxLength: 3 }),
  ),
);
const localeArb = optional(fc.constantFrom('en', 'es-MX', 'pt-BR', 'zh-Hant-TW', 'en_US'));
const contextArb = optional(
  fc.record(
    {
      ip: fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.ipV4Extended(),
        fc.constantFrom('1.2.3.4, 5.6.7.8', 'localhost', '999.1.1.1', ' 1.2.3.4'),
        junk,
      ),
      asn: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.constantFrom('AS13335', 'as0', 'AS4294967296', '13335', '0x10'),
        junk,
      ),
      userAgent: fc.oneof(fc.string({ maxLength: 1_100 }), junk),
      deviceId: fc.oneof(fc.string({ maxLength: 300 }), junk),
    },
    { requiredKeys: [] },
  ),
);
const sendInputArb = fc.oneof(
  {
    arbitrary: fc.record(
      {
        to: toArb,
        purpose: purposeArb,
        tenantId: tenantArb,
        subject: subjectArb,
        channels: channelsArb,
        locale: localeArb,
        context: contextArb,
      },
      { requiredKeys: [] },
    ),
    weight: 4,
  },
  { arbitrary: fc.anything(), weight: 1 },
);

/** Stands for the id (or code, or message id) of the real verification of a run. */
const REAL = Symbol('real');
const real = fc.constant(REAL);
const wellFormedUnknownId = fc.stringMatching(/^vf_[A-Za-z0-9_-]{26}$/);
const idArb = fc.oneof(
  { arbitrary: real, weight: 3 },
  { arbitrary: wellFormedUnknownId, weight: 1 },
  { arbitrary: junk, weight: 2 },
);
const codeArb = fc.oneof(
  real,
  fc.stringMatching(/^[0-9]{4,10}$/),
  fc.constantFrom('\u0661\u0662\u0663\u0664\u0665\u0666', '１２３４５６', ' 123456', '12a456'),
  fc.integer(),
  junk,
);
const substitute = (value: unknown, actual: string): unknown => (value === REAL ? actual : value);

// ---------------------------------------------------------------------------------------------
// 1a, 1b: every primitive answers arbitrary input with a result or a typed error
// ---------------------------------------------------------------------------------------------

describe('arbitrary input to the primitives', () => {
  it('send either starts a pending verification or rejects with a CheckpointError', async () => {
    await fc.assert(
      fc.asyncProperty(sendInputArb, async (input) => {
        const { checkpoint } = setup();
        const outcome = await settle(() => checkpoint.send(loose(input)));
        if (!outcome.ok) return;
        const result = outcome.value as Awaited<ReturnType<Checkpoint['send']>>;
        expect(isVerificationId(result.id)).toBe(true);
        expect(result.status).toBe('pending');
        expect(['sms', 'voice', 'email']).toContain(result.channel);
        expect((await checkpoint.get(result.id)).status).toBe('pending');
      }),
      { numRuns: 300 },
    );
  });

  it('check either answers a check status or rejects with a CheckpointError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          {
            arbitrary: fc.record(
              {
                id: idArb,
                code: codeArb,
                purpose: optional(fc.constantFrom('login', 'signup')),
                tenantId: tenantArb,
                subject: subjectArb,
                context: contextArb,
              },
              { requiredKeys: [] },
            ),
            weight: 4,
          },
          { arbitrary: fc.anything(), weight: 1 },
        ),
        async (raw) => {
          const { checkpoint, id, code } = await setupWithVerification();
          const input =
            typeof raw === 'object' && raw !== null && !Array.isArray(raw)
              ? {
                  ...raw,
                  id: substitute((raw as { id?: unknown }).id, id),
                  code: substitute((raw as { code?: unknown }).code, code),
                }
              : raw;
          const outcome = await settle(() => checkpoint.check(loose(input)));
          const stored = await checkpoint.get(id);
          expect(stored.attempts).toBeLessThanOrEqual(stored.maxAttempts);
          if (!outcome.ok) return;
          const result = outcome.value as Awaited<ReturnType<Checkpoint['check']>>;
          expect(CHECK_STATUSES).toContain(result.status);
          expect(Number.isInteger(result.remainingAttempts)).toBe(true);
          expect(result.remainingAttempts).toBe(stored.maxAttempts - stored.attempts);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('resend either sends another code or rejects with a CheckpointError', async () => {
    await fc.assert(
      fc.asyncProperty(
        idArb,
        fc.oneof(
          fc.constant(undefined),
          fc.record(
            { channel: optional(fc.constantFrom('sms', 'voice', 'email')), context: contextArb },
            { requiredKeys: [] },
          ),
          junk,
        ),
        fc.integer({ min: 0, max: 700_000 }),
        async (rawId, options, wait) => {
          const { checkpoint, clock, id } = await setupWithVerification();
          // Fallback timers may send to the next channel while the clock moves.
          await clock.advance(wait);
          const before = await checkpoint.get(id);
          const outcome = await settle(() =>
            checkpoint.resend(loose(substitute(rawId, id)), loose(options)),
          );
          const after = await checkpoint.get(id);
          expect(after.sends).toBeLessThanOrEqual(after.maxSends);
          if (!outcome.ok) {
            expect(after.sends).toBe(before.sends);
            return;
          }
          const result = outcome.value as Awaited<ReturnType<Checkpoint['resend']>>;
          expect(result.id).toBe(id);
          expect(after.sends).toBe(before.sends + 1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('cancel, get and audit either answer or reject with a CheckpointError', async () => {
    await fc.assert(
      fc.asyncProperty(idArb, async (rawId) => {
        const { checkpoint, id } = await setupWithVerification();
        const value = substitute(rawId, id);
        const got = await settle(() => checkpoint.get(loose(value)));
        if (got.ok) expect((got.value as { id: string }).id).toBe(value);
        const audited = await settle(() => checkpoint.audit(loose(value)));
        if (audited.ok) expect(Array.isArray(audited.value)).toBe(true);
        const canceled = await settle(() => checkpoint.cancel(loose(value)));
        if (canceled.ok) expect(canceled.value).toEqual({ id: value, status: 'canceled' });
      }),
      { numRuns: 200 },
    );
  });

  it('lookup either describes a number or rejects with a CheckpointError', async () => {
    const { checkpoint } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          validPhone,
          badPhone,
          fc.stringMatching(/^\+?[0-9 ().-]{1,64}$/),
          fc.string({ unit: 'binary', maxLength: 70 }),
          junk,
        ),
        async (phone) => {
          const outcome = await settle(() => checkpoint.lookup(loose(phone)));
          if (!outcome.ok) {
            expect(outcome.code).toBe('invalid_number');
            return;
          }
          const result = outcome.value as Awaited<ReturnType<Checkpoint['lookup']>>;
          expect(typeof result.e164).toBe('string');
          expect(typeof result.valid).toBe('boolean');
          expect(result).not.toHaveProperty('carrier');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('configure either stores a config that later sends can use or rejects with a CheckpointError', async () => {
    const overridesArb = fc.record(
      {
        codeLength: fc.oneof(fc.integer({ min: 0, max: 12 }), junk),
        allowShortCodes: fc.oneof(fc.boolean(), junk),
        ttlSeconds: fc.oneof(fc.integer({ min: -1, max: 700 }), junk),
        maxAttempts: fc.oneof(fc.integer({ min: 0, max: 11 }), junk),
        maxSends: fc.oneof(fc.integer({ min: 0, max: 11 }), junk),
        resendCooldownSeconds: fc.oneof(fc.integer({ min: -1, max: 601 }), junk),
        fallbackTimeoutSeconds: fc.oneof(fc.integer({ min: 0, max: 601 }), junk),
        channels: fc.oneof(fc.constantFrom(['sms'], ['email', 'voice'], ['pager'], []), junk),
        defaultCountry: fc.oneof(fc.constantFrom('US', 'GB', 'ZZ', 'us'), junk),
        countries: fc.oneof(
          fc.record(
            {
              allow: fc.oneof(fc.constantFrom(['US'], [], ['GB', 'DE']), junk),
              deny: fc.oneof(fc.constantFrom(['US'], []), junk),
              sanctioned: fc.oneof(fc.constantFrom(['CU'], []), junk),
            },
            { requiredKeys: [] },
          ),
          junk,
        ),
        velocity: fc.oneof(
          fc.record(
            {
              destination: fc.oneof(
                fc.constantFrom([{ limit: 1, windowSeconds: 60 }], [], [{ limit: 0 }]),
                junk,
              ),
              ip: junk,
            },
            { requiredKeys: [] },
          ),
          junk,
        ),
        destinationFailures: fc.oneof(
          fc.record(
            { limit: fc.integer({ min: 0, max: 101 }), windowSeconds: fc.integer() },
            { requiredKeys: [] },
          ),
          junk,
        ),
        locale: fc.oneof(fc.constantFrom('en', 'es-MX'), junk),
        auditRetentionDays: fc.oneof(fc.integer({ min: 0, max: 4_000 }), junk),
        trustIdpMfa: fc.oneof(fc.boolean(), junk),
        // Free-form data: include values JSON cannot hold (BigInt), which must be refused, not thrown.
        stepUp: fc.oneof(fc.dictionary(fc.string(), fc.anything({ withBigInt: true })), junk),
        webhooks: fc.oneof(
          fc.array(
            fc.record(
              { url: fc.oneof(fc.webUrl(), junk), events: fc.oneof(fc.constant(['*']), junk) },
              { requiredKeys: [] },
            ),
            { maxLength: 2 },
          ),
          junk,
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('acme', 'default', 'constructor', 'hasOwnProperty'), junk),
        fc.oneof({ arbitrary: overridesArb, weight: 4 }, { arbitrary: fc.anything(), weight: 1 }),
        async (tenantId, overrides) => {
          const { checkpoint } = setup();
          const outcome = await settle(() =>
            checkpoint.configure(loose(tenantId), loose(overrides)),
          );
          if (!outcome.ok) return;
          expect(await checkpoint.config(loose(tenantId))).toEqual(outcome.value);
          for (const to of [PHONE, '4155550100', 'user@example.com']) {
            await settle(() =>
              checkpoint.send({ to, purpose: 'login', tenantId: loose(tenantId) }),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('recordDelivery either applies a receipt or rejects with a CheckpointError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          {
            arbitrary: fc.record(
              {
                channel: fc.oneof(fc.constantFrom('sms', 'voice', 'email', 'pager'), junk),
                providerMessageId: fc.oneof(real, fc.string({ maxLength: 300 }), junk),
                status: fc.oneof(fc.constantFrom(...DELIVERY_STATUSES), junk),
                errorCode: optional(fc.constantFrom('30003', '')),
              },
              { requiredKeys: [] },
            ),
            weight: 4,
          },
          { arbitrary: fc.anything(), weight: 1 },
        ),
        async (raw) => {
          const { checkpoint, messageId } = await setupWithVerification();
          const receipt =
            typeof raw === 'object' && raw !== null && !Array.isArray(raw)
              ? {
                  ...raw,
                  providerMessageId: substitute(
                    (raw as { providerMessageId?: unknown }).providerMessageId,
                    messageId,
                  ),
                }
              : raw;
          const outcome = await settle(() => checkpoint.recordDelivery(loose(receipt)));
          if (!outcome.ok) return;
          const result = outcome.value as { found: boolean; applied: boolean };
          expect(typeof result.found).toBe('boolean');
          if (!result.found) expect(result.applied).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 1c: one verification against a model
// ---------------------------------------------------------------------------------------------

type Command =
  | { kind: 'checkWrong'; code: string }
  | { kind: 'checkSent'; pick: number }
  | { kind: 'checkOtherPurpose'; pick: number }
  | { kind: 'resend' }
  | { kind: 'advance'; ms: number }
  /** Moves the clock to just before, at or just after the moment the next resend is allowed. */
  | { kind: 'advanceToCooldownEnd'; offsetMs: number }
  /** Moves the clock to just before, at or just after the time to live. */
  | { kind: 'advanceToExpiry'; offsetMs: number }
  | { kind: 'cancel' }
  /** Waits out the cooldown, then resends: the path to maxSends. */
  | { kind: 'resendWhenAllowed' };
type Step = Exclude<Command, { kind: 'resendWhenAllowed' }>;

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc
      .stringMatching(/^[0-9]{6}$/)
      .map((code): Command => ({ kind: 'checkWrong', code })),
    weight: 4,
  },
  { arbitrary: fc.nat().map((pick): Command => ({ kind: 'checkSent', pick })), weight: 2 },
  { arbitrary: fc.nat().map((pick): Command => ({ kind: 'checkOtherPurpose', pick })), weight: 1 },
  { arbitrary: fc.constant<Command>({ kind: 'resend' }), weight: 4 },
  {
    arbitrary: fc
      .oneof(
        { arbitrary: fc.integer({ min: 0, max: 90_000 }), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: 700_000 }), weight: 1 },
      )
      .map((ms): Command => ({ kind: 'advance', ms })),
    weight: 4,
  },
  {
    arbitrary: fc
      .constantFrom(-1, 0, 1, 5_000)
      .map((offsetMs): Command => ({ kind: 'advanceToCooldownEnd', offsetMs })),
    weight: 3,
  },
  {
    arbitrary: fc
      .constantFrom(-1_000, -1, 0, 1)
      .map((offsetMs): Command => ({ kind: 'advanceToExpiry', offsetMs })),
    weight: 1,
  },
  { arbitrary: fc.constant<Command>({ kind: 'cancel' }), weight: 1 },
  { arbitrary: fc.constant<Command>({ kind: 'resendWhenAllowed' }), weight: 3 },
);

/** The defaults every verification gets (DESIGN.md): 5 attempts, 5 sends, 600 s, 30 s doubling. */
const MAX_ATTEMPTS = 5;
const MAX_SENDS = 5;
const TTL_MS = 600_000;
const COOLDOWN_MS = 30_000;

/** What the model expects a call to give. */
type Expected =
  | { status: CheckStatus; remainingAttempts: number }
  | { error: CheckpointErrorCode; reason?: string; retryAfter?: number }
  | { sent: true }
  | { canceled: VerificationStatus };

class Model {
  status: VerificationStatus = 'pending';
  attempts = 0;
  sends = 1;
  approvals = 0;
  readonly expiresAt: number;
  lastSentAt: number;

  constructor(public now: number) {
    this.expiresAt = now + TTL_MS;
    this.lastSentAt = now;
  }

  /** When the next resend is allowed (ignoring maxSends). */
  get cooldownEndsAt(): number {
    return this.lastSentAt + COOLDOWN_MS * 2 ** (this.sends - 1);
  }

  advance(ms: number): void {
    this.now += ms;
    if (this.status === 'pending' && this.now >= this.expiresAt) this.status = 'expired';
  }

  check(matches: boolean): Expected {
    if (this.status === 'approved') return { error: 'not_found' };
    if (this.status !== 'pending') return { status: this.status, remainingAttempts: this.left() };
    this.attempts += 1;
    if (matches) {
      this.status = 'approved';
      this.approvals += 1;
      return { status: 'approved', remainingAttempts: this.left() };
    }
    if (this.attempts >= MAX_ATTEMPTS) this.status = 'max_attempts';
    return { status: 'failed', remainingAttempts: this.left() };
  }

  /** What a resend should give; the caller applies it with {@link Model.sent} once it happened. */
  resend(): Expected {
    if (this.status !== 'pending' || this.now >= this.expiresAt) return { error: 'not_found' };
    if (this.sends >= MAX_SENDS) {
      return {
        error: 'rate_limited',
        reason: 'max_sends',
        retryAfter: seconds(this.expiresAt - this.now),
      };
    }
    const readyAt = this.cooldownEndsAt;
    if (this.now < readyAt) {
      return {
        error: 'rate_limited',
        reason: 'resend_cooldown',
        retryAfter: seconds(readyAt - this.now),
      };
    }
    return { sent: true };
  }

  sent(): void {
    this.sends += 1;
    this.lastSentAt = this.now;
  }

  cancel(): Expected {
    if (this.status === 'approved') return { error: 'not_found' };
    if (this.status === 'pending') this.status = 'canceled';
    return { canceled: this.status };
  }

  private left(): number {
    return MAX_ATTEMPTS - this.attempts;
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1_000));
}

/** A velocity cap (per destination, IP, ASN or tenant) may refuse any send; the model treats it as a no-op. */
function isVelocityRefusal(outcome: Outcome): boolean {
  return (
    !outcome.ok &&
    outcome.code === 'rate_limited' &&
    outcome.error.reasons.some((reason) => reason.startsWith('velocity:'))
  );
}

function expectError(
  outcome: Outcome,
  expected: { error: CheckpointErrorCode; reason?: string; retryAfter?: number },
): void {
  expect(outcome.ok ? 'resolved' : outcome.code).toBe(expected.error);
  if (outcome.ok) return;
  if (expected.reason !== undefined) expect(outcome.error.reasons).toContain(expected.reason);
  if (expected.retryAfter !== undefined) expect(outcome.error.retryAfter).toBe(expected.retryAfter);
}

describe('one verification against a model', () => {
  it('matches the model for any sequence of checks, resends, cancels and clock moves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (commands) => {
        // One phone channel: no fallback timer sends codes the model does not know about.
        const { checkpoint, clock, sms } = setup('sms');
        const { id } = await checkpoint.send({ to: PHONE, purpose: 'login' });
        const model = new Model(clock.now());
        const codes = (): string[] =>
          sms.messages.filter((message) => message.verificationId === id).map((m) => m.code);
        let lastRemaining = MAX_ATTEMPTS;

        const steps = commands.flatMap((command): Step[] =>
          command.kind === 'resendWhenAllowed'
            ? [{ kind: 'advanceToCooldownEnd', offsetMs: 0 }, { kind: 'resend' }]
            : [command],
        );
        for (const command of steps) {
          switch (command.kind) {
            case 'advance':
            case 'advanceToCooldownEnd':
            case 'advanceToExpiry': {
              const target =
                command.kind === 'advance'
                  ? model.now + command.ms
                  : (command.kind === 'advanceToExpiry' ? model.expiresAt : model.cooldownEndsAt) +
                    command.offsetMs;
              const ms = Math.max(0, target - model.now);
              await clock.advance(ms);
              model.advance(ms);
              break;
            }
            case 'checkWrong':
            case 'checkSent': {
              const sent = codes();
              const code =
                command.kind === 'checkWrong'
                  ? command.code
                  : (sent[command.pick % sent.length] as string);
              const expected = model.check(sent.includes(code));
              const outcome = await settle(() => checkpoint.check({ id, code }));
              if ('error' in expected) {
                expectError(outcome, expected);
              } else {
                expect(outcome.ok ? outcome.value : outcome.code).toMatchObject(expected);
                const { remainingAttempts } = expected as { remainingAttempts: number };
                expect(remainingAttempts).toBeLessThanOrEqual(lastRemaining);
                lastRemaining = remainingAttempts;
              }
              break;
            }
            case 'checkOtherPurpose': {
              // A code never crosses purposes, and asking does not spend an attempt.
              const sent = codes();
              const code = sent[command.pick % sent.length] as string;
              const outcome = await settle(() =>
                checkpoint.check({ id, code, purpose: 'billing_change' }),
              );
              expectError(outcome, { error: 'not_found' });
              break;
            }
            case 'resend': {
              const expected = model.resend();
              const outcome = await settle(() => checkpoint.resend(id));
              if (isVelocityRefusal(outcome)) break;
              if ('error' in expected) {
                expectError(outcome, expected);
              } else {
                expect(outcome.ok ? (outcome.value as { id: string }).id : outcome.code).toBe(id);
                model.sent();
              }
              break;
            }
            case 'cancel': {
              const expected = model.cancel();
              const outcome = await settle(() => checkpoint.cancel(id));
              if ('error' in expected) expectError(outcome, expected);
              else
                expect(outcome.ok ? outcome.value : outcome.code).toEqual({
                  id,
                  status: (expected as { canceled: VerificationStatus }).canceled,
                });
              break;
            }
          }

          const stored = await checkpoint.get(id);
          expect(stored.status).toBe(model.status);
          expect(stored.attempts).toBe(model.attempts);
          expect(stored.attempts).toBeLessThanOrEqual(stored.maxAttempts);
          expect(stored.sends).toBe(model.sends);
          expect(codes()).toHaveLength(model.sends);
          expect(model.approvals).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 250 },
    );
  });
});
