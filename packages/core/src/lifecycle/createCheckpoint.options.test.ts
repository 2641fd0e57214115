// Threat: a misconfigured instance starts anyway (weak secret, ambiguous channels, unsafe policy) instead of failing loudly at construction.
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../channels/Channel.js';
import { outboxChannel } from '../channels/outboxChannel.js';
import { isCheckpointError } from '../errors/CheckpointError.js';
import { MemoryStore } from '../store/MemoryStore.js';
import { ManualClock } from '../testing/ManualClock.js';
import { type Checkpoint, type CheckpointOptions, createCheckpoint } from './createCheckpoint.js';

const SECRET = 'K7vQ2mX9pL4rT8wZ1nB6cF3hJ5dS0gY2aE7uI9oP4qM';
const OLD_KEY = 'old-rotation-key-0123456789abcdefghijklmnop';
const NEW_KEY = 'new-rotation-key-0123456789abcdefghijklmnop';
const PHONE = '+14155550100';

/** Hands an arbitrary value to a typed API parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

const open: Checkpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((checkpoint) => checkpoint.close()));
});

function build(options: CheckpointOptions): Checkpoint {
  const checkpoint = createCheckpoint(options);
  open.push(checkpoint);
  return checkpoint;
}

/** The TypeError a construction throws; fails the test when it throws anything else or nothing. */
function constructionError(options: unknown): TypeError {
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = createCheckpoint(loose(options));
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    expect(isCheckpointError(error)).toBe(false);
    return error as TypeError;
  }
  open.push(checkpoint);
  throw new Error('expected createCheckpoint to throw a TypeError');
}

const sms = (): Channel => outboxChannel({ name: 'sms' });

describe('createCheckpoint without usable options', () => {
  it.each([
    ['no argument', undefined],
    ['null', null],
    ['a string', SECRET],
  ])('throws a TypeError asking for an options object when given %s', (_name, options) => {
    expect(constructionError(options).message).toMatch(/options object.*secret.*channels/);
  });
});

describe('the secret option', () => {
  it('throws a TypeError naming `secret` and how to supply one when it is missing', () => {
    const { message } = constructionError({ channels: [sms()] });
    expect(message).toMatch(/requires a `secret`/);
    expect(message).toMatch(/32 bytes/);
  });

  it.each([
    ['an empty string', ''],
    ['31 ASCII characters', 'x'.repeat(31)],
    ['31 bytes', new Uint8Array(31)],
  ])('throws a TypeError asking for at least 32 bytes when the secret is %s', (_name, secret) => {
    const { message } = constructionError({ secret, channels: [sms()] });
    expect(message).toMatch(/at least 32 bytes/);
    expect(message).toMatch(/randomBytes\(32\)/);
  });

  it('throws a TypeError when a rotation entry has a short key', () => {
    const { message } = constructionError({
      secret: [
        { id: 'new', key: NEW_KEY },
        { id: 'old', key: 'short' },
      ],
      channels: [sms()],
    });
    expect(message).toMatch(/secret 'old' must be at least 32 bytes/);
  });

  it.each([
    ['a number', 42],
    ['an object', { key: SECRET }],
    ['an empty list', []],
  ])('throws a TypeError listing the accepted forms when the secret is %s', (_name, secret) => {
    expect(constructionError({ secret, channels: [sms()] }).message).toMatch(
      /string, a Uint8Array, or a non-empty array of \{ id, key \}/,
    );
  });

  it('throws a TypeError when a rotation entry has no usable id', () => {
    const { message } = constructionError({
      secret: [{ id: 'has space', key: SECRET }],
      channels: [sms()],
    });
    expect(message).toMatch(/secret\[0\]\.id must match/);
  });

  it('throws a TypeError when two rotation entries share an id', () => {
    const { message } = constructionError({
      secret: [
        { id: 'k1', key: NEW_KEY },
        { id: 'k1', key: OLD_KEY },
      ],
      channels: [sms()],
    });
    expect(message).toMatch(/'k1' is used twice/);
  });

  it('accepts a 32-byte Uint8Array secret and sends with it', async () => {
    const channel = outboxChannel({ name: 'sms' });
    const checkpoint = build({
      secret: new Uint8Array(32).fill(7),
      channels: [channel],
      clock: new ManualClock(),
    });
    const { id } = await checkpoint.send({ to: PHONE, purpose: 'login' });
    expect(await checkpoint.check({ id, code: channel.latest(PHONE)?.code ?? '' })).toMatchObject({
      status: 'approved',
    });
  });
});

describe('the channels option', () => {
  it.each([
    ['missing', undefined],
    ['not an array', { sms: sms() }],
    ['a single channel instead of an array', sms()],
    ['empty', []],
  ])('throws a TypeError asking for a non-empty array when channels are %s', (_name, channels) => {
    const { message } = constructionError({ secret: SECRET, channels });
    expect(message).toMatch(/`channels`: a non-empty array/);
    expect(message).toMatch(/consoleChannel/);
  });

  it('throws a TypeError naming the duplicate when two channels share a name', () => {
    const { message } = constructionError({
      secret: SECRET,
      channels: [outboxChannel({ name: 'sms' }), outboxChannel({ name: 'sms' })],
    });
    expect(message).toMatch(/two channels are named 'sms'/);
    expect(message).toMatch(/unique/);
  });

  it.each([
    ['has no send function', { name: 'sms', kind: 'phone' }],
    ['has a send that is not a function', { name: 'sms', kind: 'phone', send: 'twilio' }],
    ['has no name', { kind: 'phone', send: () => Promise.resolve({ status: 'sent' }) }],
    ['is null', null],
    ['is a string', 'sms'],
  ])('throws a TypeError describing a channel when an entry %s', (_name, channel) => {
    const { message } = constructionError({ secret: SECRET, channels: [channel] });
    expect(message).toMatch(/`name`, a `kind` and a `send\(message\)` function/);
  });

  it.each([
    ['sms', 'sms'],
    ['missing', undefined],
    ['upper-case', 'PHONE'],
  ])('throws a TypeError naming the allowed kinds when a kind is %s', (_name, kind) => {
    const channel = { name: 'texts', kind, send: () => Promise.resolve({ status: 'sent' }) };
    const { message } = constructionError({ secret: SECRET, channels: [channel] });
    expect(message).toMatch(/channel 'texts' must have kind 'phone' or 'email'/);
  });
});

describe('the defaults option', () => {
  it('throws a TypeError naming an unknown setting and the known ones', () => {
    const { message } = constructionError({
      secret: SECRET,
      channels: [sms()],
      defaults: { maxAtempts: 3 },
    });
    expect(message).toMatch(/defaults\.maxAtempts is not a known setting/);
    expect(message).toMatch(/maxAttempts/);
  });

  it('throws a TypeError giving the allowed range when ttlSeconds is 601', () => {
    const { message } = constructionError({
      secret: SECRET,
      channels: [sms()],
      defaults: { ttlSeconds: 601 },
    });
    expect(message).toMatch(/defaults\.ttlSeconds must be an integer from 30 to 600/);
  });

  it('throws a TypeError asking for allowShortCodes when codeLength is 4', () => {
    const { message } = constructionError({
      secret: SECRET,
      channels: [sms()],
      defaults: { codeLength: 4 },
    });
    expect(message).toMatch(/codeLength below 6 needs allowShortCodes: true/);
  });

  it.each([
    ['not an object', 'strict'],
    ['an array', [{ ttlSeconds: 300 }]],
    ['a maxAttempts of zero', { maxAttempts: 0 }],
    ['a string where a number belongs', { codeLength: '6' }],
    ['a codeLength of 11', { codeLength: 11, allowShortCodes: true }],
  ])('throws a TypeError when defaults are %s', (_name, defaults) => {
    const { message } = constructionError({ secret: SECRET, channels: [sms()], defaults });
    expect(message).toMatch(/^createCheckpoint: defaults/);
  });

  it('keeps the validation error as the cause of the TypeError', () => {
    const error = constructionError({
      secret: SECRET,
      channels: [sms()],
      defaults: { ttlSeconds: 601 },
    });
    expect(isCheckpointError(error.cause)).toBe(true);
  });

  it('sends 4-digit codes when codeLength 4 comes with allowShortCodes', async () => {
    const channel = outboxChannel({ name: 'sms' });
    const checkpoint = build({
      secret: SECRET,
      channels: [channel],
      clock: new ManualClock(),
      defaults: { codeLength: 4, allowShortCodes: true },
    });
    const { id } = await checkpoint.send({ to: PHONE, purpose: 'login' });
    const code = channel.latest(PHONE)?.code ?? '';
    expect(code).toMatch(/^[0-9]{4}$/);
    expect(await checkpoint.check({ id, code })).toMatchObject({ status: 'approved' });
  });

  it('applies valid defaults to every send', async () => {
    const clock = new ManualClock();
    const checkpoint = build({
      secret: SECRET,
      channels: [sms()],
      clock,
      defaults: { ttlSeconds: 300, maxAttempts: 3 },
    });
    const result = await checkpoint.send({ to: PHONE, purpose: 'login' });
    expect(result.expiresAt).toBe(clock.now() + 300_000);
    expect((await checkpoint.get(result.id)).maxAttempts).toBe(3);
  });
});

describe('secret rotation', () => {
  /** Three instances over one store: before, during and after a rotation from `old` to `new`. */
  function rotation() {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const channel = outboxChannel({ name: 'sms' });
    const before = build({
      secret: [{ id: 'old', key: OLD_KEY }],
      channels: [channel],
      store,
      clock,
    });
    const during = build({
      secret: [
        { id: 'new', key: NEW_KEY },
        { id: 'old', key: OLD_KEY },
      ],
      channels: [channel],
      store,
      clock,
    });
    const after = build({
      secret: [{ id: 'new', key: NEW_KEY }],
      channels: [channel],
      store,
      clock,
    });
    const codeFor = (id: string): string =>
      channel.messages.findLast((message) => message.verificationId === id)?.code ?? '';
    return { before, during, after, codeFor };
  }

  it('approves, on an instance configured with [new, old], a code sent under the old key alone', async () => {
    const { before, during, codeFor } = rotation();
    const { id } = await before.send({ to: PHONE, purpose: 'login' });
    expect(await during.check({ id, code: codeFor(id) })).toMatchObject({
      status: 'approved',
      remainingAttempts: 4,
    });
  });

  it('does not approve, on an instance configured with [new] alone, a code sent under the old key', async () => {
    const { before, after, codeFor } = rotation();
    const { id } = await before.send({ to: PHONE, purpose: 'login' });
    expect(await after.check({ id, code: codeFor(id) })).toMatchObject({
      status: 'failed',
      remainingAttempts: 4,
    });
    expect((await after.get(id)).attempts).toBe(1);
  });

  it('hashes new codes under the first key of the list, so the old-only instance cannot approve them', async () => {
    const { before, during, codeFor } = rotation();
    const { id } = await during.send({ to: PHONE, purpose: 'login' });
    expect(await before.check({ id, code: codeFor(id) })).toMatchObject({ status: 'failed' });
    expect(await during.check({ id, code: codeFor(id) })).toMatchObject({ status: 'approved' });
  });
});
