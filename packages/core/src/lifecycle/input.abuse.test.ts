// Threat: malformed input must get a typed error, never a crash or a counted attempt.
import { afterEach, describe, expect, it } from 'vitest';
import { outboxChannel } from '../channels/outboxChannel.js';
import { type CheckpointErrorCode, isCheckpointError } from '../errors/CheckpointError.js';
import { MemoryStore } from '../store/MemoryStore.js';
import { ManualClock } from '../testing/ManualClock.js';
import { type Checkpoint, createCheckpoint } from './createCheckpoint.js';

const SECRET = 'K7vQ2mX9pL4rT8wZ1nB6cF3hJ5dS0gY2aE7uI9oP4qM';
const PHONE = '+14155550100';
const HUGE = 'x'.repeat(10_240);

/** Hands an arbitrary value to a typed API parameter: the point of these tests is bad input. */
const loose = <T>(value: unknown): T => value as T;

const open: Checkpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((checkpoint) => checkpoint.close()));
});

function setup() {
  const clock = new ManualClock();
  const sms = outboxChannel({ name: 'sms' });
  const email = outboxChannel({ name: 'email', kind: 'email' });
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms, email],
    store: new MemoryStore(),
    clock,
  });
  open.push(checkpoint);
  return { clock, sms, checkpoint };
}

async function setupWithVerification() {
  const s = setup();
  const { id } = await s.checkpoint.send({ to: PHONE, purpose: 'login' });
  const code = s.sms.latest(PHONE)?.code ?? '';
  return { ...s, id, code };
}

/** The code of the rejection, failing the test when the call resolves or throws anything else. */
async function rejectionOf(run: () => Promise<unknown>): Promise<CheckpointErrorCode> {
  let settled: unknown;
  try {
    settled = await run();
  } catch (error) {
    if (isCheckpointError(error)) return error.code;
    throw new Error('expected a CheckpointError', { cause: error });
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(settled)}`);
}

async function rejectionWith(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (isCheckpointError(error)) return error;
    throw new Error('expected a CheckpointError', { cause: error });
  }
  throw new Error('expected a rejection');
}

const toDigits = (code: string, zero: number): string =>
  [...code].map((digit) => String.fromCodePoint(zero + Number(digit))).join('');

/** Malformed renderings of the right code: each must be refused before it costs an attempt. */
const malformedCodes: ReadonlyArray<[string, (code: string) => unknown]> = [
  ['Arabic-Indic digits', (code) => toDigits(code, 0x0660)],
  ['full-width digits', (code) => toDigits(code, 0xff10)],
  ['Devanagari digits', (code) => toDigits(code, 0x0966)],
  ['a leading space', (code) => ` ${code}`],
  ['a trailing newline', (code) => `${code}\n`],
  ['a space in the middle', (code) => `${code.slice(0, 3)} ${code.slice(3)}`],
  ['a letter for a digit', (code) => `${code.slice(0, 2)}a${code.slice(3)}`],
  ['a number instead of a string', (code) => Number(code)],
  ['an array holding the code', (code) => [code]],
  ['a query operator object', () => ({ $ne: 1 })],
  ['an object that stringifies to the code', (code) => ({ toString: () => code })],
  ['a 10 kB string of digits', () => '1'.repeat(10_240)],
  ['a 10 kB string of letters', () => HUGE],
  ['an empty string', () => ''],
  ['null', () => null],
  ['undefined', () => undefined],
  ['a boolean', () => true],
];

describe('malformed codes', () => {
  it.each(malformedCodes)(
    'refuses a code given as %s with invalid_request, spends no attempt and still approves the right code',
    async (_name, render) => {
      const { checkpoint, id, code } = await setupWithVerification();
      expect(await rejectionOf(() => checkpoint.check(loose({ id, code: render(code) })))).toBe(
        'invalid_request',
      );
      expect((await checkpoint.get(id)).attempts).toBe(0);
      expect(await checkpoint.check({ id, code })).toMatchObject({
        status: 'approved',
        remainingAttempts: 4,
      });
    },
  );

  it('refuses every malformed code in a row without locking the verification', async () => {
    const { checkpoint, id, code } = await setupWithVerification();
    for (const [, render] of malformedCodes) {
      await expect(checkpoint.check(loose({ id, code: render(code) }))).rejects.toMatchObject({
        code: 'invalid_request',
      });
    }
    const stored = await checkpoint.get(id);
    expect(stored).toMatchObject({ attempts: 0, status: 'pending' });
    expect(await checkpoint.check({ id, code })).toMatchObject({ status: 'approved' });
  });

  it('refuses a check input that is not an object with invalid_request', async () => {
    const { checkpoint, id } = await setupWithVerification();
    for (const input of [null, undefined, 'code', 123456, [id, '123456']]) {
      expect(await rejectionOf(() => checkpoint.check(loose(input)))).toBe('invalid_request');
    }
    expect((await checkpoint.get(id)).attempts).toBe(0);
  });
});

describe('prototype pollution', () => {
  it('does not pollute Object.prototype from a JSON send body with a __proto__ key', async () => {
    const { checkpoint } = setup();
    const body: unknown = JSON.parse(
      '{"__proto__":{"polluted":1},"to":"+14155550100","purpose":"login"}',
    );
    const result = await checkpoint.send(loose(body));
    expect(result.status).toBe('pending');
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('does not pollute Object.prototype from __proto__ keys in a check body or its context', async () => {
    const { checkpoint, id, code } = await setupWithVerification();
    const body: unknown = JSON.parse(
      `{"__proto__":{"polluted":1},"id":"${id}","code":"${code}","context":{"__proto__":{"ip":"1.2.3.4"}}}`,
    );
    expect(await checkpoint.check(loose(body))).toMatchObject({ status: 'approved' });
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'ip')).toBe(false);
  });

  it('refuses a __proto__ key in configure overrides without polluting anything', async () => {
    const { checkpoint } = setup();
    const overrides: unknown = JSON.parse('{"__proto__":{"maxAttempts":10}}');
    expect(await rejectionOf(() => checkpoint.configure('acme', loose(overrides)))).toBe(
      'invalid_request',
    );
    expect(Object.hasOwn(Object.prototype, 'maxAttempts')).toBe(false);
    expect((await checkpoint.config()).maxAttempts).toBe(5);
  });
});

describe('verification ids', () => {
  const nonStrings: unknown[] = [undefined, null, 123, true, {}, [], ['vf_AAAA'], { $ne: null }];
  const unknownStrings = [
    'vf_AAAAaaaaaaaaaaaaaaaaaaaaaa',
    'vf_Zz9-_Zz9-_Zz9-_Zz9-_Zz9-_Z',
    '',
    'abc',
    '../../etc/passwd',
    'vf_',
    'vf_AAAAaaaaaaaaaaaaaaaaaaaaaa\n',
    HUGE,
  ];

  it('refuses ids that are not strings with invalid_request in every primitive', async () => {
    const { checkpoint } = setup();
    for (const id of nonStrings) {
      const operations: Array<() => Promise<unknown>> = [
        () => checkpoint.check(loose({ id, code: '123456' })),
        () => checkpoint.get(loose(id)),
        () => checkpoint.cancel(loose(id)),
        () => checkpoint.resend(loose(id)),
        () => checkpoint.audit(loose(id)),
      ];
      for (const operation of operations) {
        expect(await rejectionOf(operation)).toBe('invalid_request');
      }
    }
  });

  it('answers not_found for well-formed unknown ids and for random strings', async () => {
    const { checkpoint } = setup();
    for (const id of unknownStrings) {
      const operations: Array<() => Promise<unknown>> = [
        () => checkpoint.check({ id, code: '123456' }),
        () => checkpoint.get(id),
        () => checkpoint.cancel(id),
        () => checkpoint.resend(id),
      ];
      for (const operation of operations) {
        expect(await rejectionOf(operation)).toBe('not_found');
      }
    }
  });

  it('gives the same not_found message for a malformed id and a well-formed unknown one', async () => {
    const { checkpoint } = setup();
    const malformed = await rejectionWith(() => checkpoint.get('abc'));
    const wellFormed = await rejectionWith(() => checkpoint.get('vf_AAAAaaaaaaaaaaaaaaaaaaaaaa'));
    expect(malformed.message).toBe(wellFormed.message);
  });

  it('audits an unknown id as an empty list and a malformed string as not_found', async () => {
    const { checkpoint } = setup();
    expect(await checkpoint.audit('vf_AAAAaaaaaaaaaaaaaaaaaaaaaa')).toEqual([]);
    expect(await rejectionOf(() => checkpoint.audit('abc'))).toBe('not_found');
  });
});

describe('tenants', () => {
  it('refuses a send for an unconfigured tenant with not_found naming configure', async () => {
    const { checkpoint, sms } = setup();
    const error = await rejectionWith(() =>
      checkpoint.send({ to: PHONE, purpose: 'login', tenantId: 'acme' }),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/configure/);
    expect(sms.messages).toHaveLength(0);
  });

  it('refuses to read the config of an unconfigured tenant with not_found naming configure', async () => {
    const { checkpoint } = setup();
    const error = await rejectionWith(() => checkpoint.config('acme'));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/configure/);
  });

  it('answers not_found, without spending an attempt, for a check naming another tenant', async () => {
    const { checkpoint, id, code } = await setupWithVerification();
    expect(await rejectionOf(() => checkpoint.check({ id, code, tenantId: 'acme' }))).toBe(
      'not_found',
    );
    expect((await checkpoint.get(id)).attempts).toBe(0);
  });

  it.each([
    { name: 'a tenant id with a slash', tenantId: 'acme/other' },
    { name: 'a tenant id with a leading dot', tenantId: '.acme' },
    { name: 'a __proto__ tenant id', tenantId: '__proto__' },
    { name: 'a 10 kB tenant id', tenantId: HUGE },
  ])('refuses $name with invalid_request', async ({ tenantId }) => {
    const { checkpoint } = setup();
    expect(
      await rejectionOf(() => checkpoint.send({ to: PHONE, purpose: 'login', tenantId })),
    ).toBe('invalid_request');
    expect(await rejectionOf(() => checkpoint.configure(tenantId, {}))).toBe('invalid_request');
  });
});

describe('destinations', () => {
  it.each([
    ['too short', '+1'],
    ['without a country and no defaultCountry', '4155550100'],
    ['one digit short', '+1415555010'],
    ['an unassigned calling code', '+999999999999'],
    ['letters', 'call me maybe'],
    ['two numbers in one field', '+14155550100, +14155550123'],
    ['empty', ''],
    ['65 characters', `+1${'4'.repeat(63)}`],
    ['10 kB of digits', `+1${'4'.repeat(10_240)}`],
  ])('refuses a phone number that is %s with invalid_number', async (_name, to) => {
    const { checkpoint, sms } = setup();
    expect(await rejectionOf(() => checkpoint.send({ to, purpose: 'login' }))).toBe(
      'invalid_number',
    );
    expect(await rejectionOf(() => checkpoint.send({ to: { phone: to }, purpose: 'login' }))).toBe(
      'invalid_number',
    );
    expect(sms.messages).toHaveLength(0);
  });

  it('refuses a phone number that is not a string with invalid_number', async () => {
    const { checkpoint } = setup();
    for (const phone of [14155550100, ['+14155550100'], { $gt: '' }, null]) {
      expect(
        await rejectionOf(() => checkpoint.send(loose({ to: { phone }, purpose: 'login' }))),
      ).toBe('invalid_number');
    }
  });

  it('refuses a `to` that is neither a string nor an object with invalid_request', async () => {
    const { checkpoint } = setup();
    for (const to of [undefined, null, 14155550100, ['+14155550100'], {}, true]) {
      expect(await rejectionOf(() => checkpoint.send(loose({ to, purpose: 'login' })))).toBe(
        'invalid_request',
      );
    }
  });

  it('refuses malformed and oversized email addresses with invalid_request', async () => {
    const { checkpoint } = setup();
    for (const to of [
      'user@',
      '@example.com',
      'user@example',
      'us er@example.com',
      'user\r\nBcc: x@example.com@example.com',
      `${'a'.repeat(10_240)}@example.com`,
    ]) {
      expect(await rejectionOf(() => checkpoint.send({ to, purpose: 'login' }))).toBe(
        'invalid_request',
      );
    }
  });
});

describe('huge strings', () => {
  const sendFields: ReadonlyArray<{
    field: string;
    patch: Record<string, unknown>;
    expected: CheckpointErrorCode;
  }> = [
    { field: 'to (phone)', patch: { to: `+${'1'.repeat(10_240)}` }, expected: 'invalid_number' },
    { field: 'to (email)', patch: { to: `${HUGE}@example.com` }, expected: 'invalid_request' },
    {
      field: 'to.email',
      patch: { to: { phone: PHONE, email: `${HUGE}@example.com` } },
      expected: 'invalid_request',
    },
    { field: 'purpose', patch: { purpose: HUGE }, expected: 'invalid_request' },
    { field: 'tenantId', patch: { tenantId: HUGE }, expected: 'invalid_request' },
    { field: 'subject', patch: { subject: HUGE }, expected: 'invalid_request' },
    { field: 'channels[0]', patch: { channels: [HUGE] }, expected: 'invalid_request' },
    { field: 'locale', patch: { locale: HUGE }, expected: 'invalid_request' },
    { field: 'context.ip', patch: { context: { ip: HUGE } }, expected: 'invalid_request' },
    {
      field: 'context.asn',
      patch: { context: { asn: '9'.repeat(10_240) } },
      expected: 'invalid_request',
    },
    {
      field: 'context.userAgent',
      patch: { context: { userAgent: HUGE } },
      expected: 'invalid_request',
    },
    {
      field: 'context.deviceId',
      patch: { context: { deviceId: HUGE } },
      expected: 'invalid_request',
    },
  ];

  it.each(sendFields)('refuses a 10 kB send $field with $expected', async ({ patch, expected }) => {
    const { checkpoint, sms } = setup();
    const input = { to: PHONE, purpose: 'login', ...patch };
    expect(await rejectionOf(() => checkpoint.send(loose(input)))).toBe(expected);
    expect(sms.messages).toHaveLength(0);
  });

  const checkFields: ReadonlyArray<{
    field: string;
    patch: Record<string, unknown>;
    expected: CheckpointErrorCode;
  }> = [
    { field: 'id', patch: { id: HUGE }, expected: 'not_found' },
    { field: 'code', patch: { code: '7'.repeat(10_240) }, expected: 'invalid_request' },
    { field: 'purpose', patch: { purpose: HUGE }, expected: 'invalid_request' },
    { field: 'tenantId', patch: { tenantId: HUGE }, expected: 'invalid_request' },
    { field: 'subject', patch: { subject: HUGE }, expected: 'invalid_request' },
    { field: 'context.ip', patch: { context: { ip: HUGE } }, expected: 'invalid_request' },
    {
      field: 'context.userAgent',
      patch: { context: { userAgent: HUGE } },
      expected: 'invalid_request',
    },
  ];

  it.each(checkFields)(
    'refuses a 10 kB check $field with $expected and spends no attempt',
    async ({ patch, expected }) => {
      const { checkpoint, id, code } = await setupWithVerification();
      expect(await rejectionOf(() => checkpoint.check(loose({ id, code, ...patch })))).toBe(
        expected,
      );
      expect((await checkpoint.get(id)).attempts).toBe(0);
    },
  );

  it('refuses a 10 kB resend channel or context with invalid_request and sends nothing', async () => {
    const { checkpoint, clock, sms, id } = await setupWithVerification();
    await clock.advance(30_000);
    for (const options of [{ channel: HUGE }, { context: { ip: HUGE } }, { context: HUGE }]) {
      expect(await rejectionOf(() => checkpoint.resend(id, loose(options)))).toBe(
        'invalid_request',
      );
    }
    expect(sms.messages).toHaveLength(1);
    expect((await checkpoint.get(id)).sends).toBe(1);
  });

  it('refuses 10 kB strings in configure, lookup and recordDelivery with typed errors', async () => {
    const { checkpoint } = setup();
    expect(await rejectionOf(() => checkpoint.configure(HUGE, {}))).toBe('invalid_request');
    for (const overrides of [
      { locale: HUGE },
      { defaultCountry: HUGE },
      { channels: [HUGE] },
      { countries: { allow: [HUGE] } },
      { webhooks: [{ url: `https://example.com/${HUGE}` }] },
      { stepUp: { login: HUGE.repeat(2) } },
    ]) {
      expect(await rejectionOf(() => checkpoint.configure('acme', loose(overrides)))).toBe(
        'invalid_request',
      );
    }
    expect(await rejectionOf(() => checkpoint.lookup(HUGE))).toBe('invalid_number');
    for (const receipt of [
      { channel: HUGE, providerMessageId: 'SM1', status: 'delivered' },
      { channel: 'sms', providerMessageId: HUGE, status: 'delivered' },
      { channel: 'sms', providerMessageId: 'SM1', status: HUGE },
      { channel: 'sms', providerMessageId: 'SM1', status: 'failed', errorCode: HUGE },
    ]) {
      expect(await rejectionOf(() => checkpoint.recordDelivery(loose(receipt)))).toBe(
        'invalid_request',
      );
    }
  });
});

describe('request context', () => {
  const notAddresses: unknown[] = [
    '1.2.3.4, 5.6.7.8',
    'localhost',
    'example.com',
    '999.1.1.1',
    ' 1.2.3.4',
    '1.2.3.4\r\nX-Injected: 1',
    '',
    16909060,
    ['1.2.3.4'],
    { toString: () => '1.2.3.4' },
  ];

  it('refuses a context.ip that is not an IP address in send, check and resend', async () => {
    const { checkpoint, clock, sms, id, code } = await setupWithVerification();
    await clock.advance(30_000);
    for (const ip of notAddresses) {
      const context = loose<{ ip: string }>({ ip });
      expect(
        await rejectionOf(() => checkpoint.send({ to: PHONE, purpose: 'signup', context })),
      ).toBe('invalid_request');
      expect(await rejectionOf(() => checkpoint.check({ id, code, context }))).toBe(
        'invalid_request',
      );
      expect(await rejectionOf(() => checkpoint.resend(id, { context }))).toBe('invalid_request');
    }
    expect(sms.messages).toHaveLength(1);
    expect(await checkpoint.get(id)).toMatchObject({ attempts: 0, sends: 1, status: 'pending' });
  });

  it('accepts IPv4 and IPv6 addresses as context.ip', async () => {
    const { checkpoint } = setup();
    for (const ip of ['203.0.113.7', '2001:db8::1']) {
      const result = await checkpoint.send({ to: PHONE, purpose: 'login', context: { ip } });
      expect(result.status).toBe('pending');
    }
  });
});

describe('channels', () => {
  it('refuses a send naming a channel that is not configured with invalid_request', async () => {
    const { checkpoint, sms } = setup();
    for (const channels of [['voice'], ['sms', 'pager'], ['SMS'], ['constructor']]) {
      expect(
        await rejectionOf(() => checkpoint.send({ to: PHONE, purpose: 'login', channels })),
      ).toBe('invalid_request');
    }
    expect(sms.messages).toHaveLength(0);
  });

  it('refuses a malformed `channels` list with invalid_request', async () => {
    const { checkpoint } = setup();
    for (const channels of [[], 'sms', [42], [null], Array.from({ length: 17 }, () => 'sms')]) {
      expect(
        await rejectionOf(() => checkpoint.send(loose({ to: PHONE, purpose: 'login', channels }))),
      ).toBe('invalid_request');
    }
  });

  it('refuses a resend on a channel the verification does not have with invalid_request', async () => {
    const { checkpoint, clock, sms, id } = await setupWithVerification();
    await clock.advance(30_000);
    for (const channel of ['voice', 'email', 'pager']) {
      expect(await rejectionOf(() => checkpoint.resend(id, { channel }))).toBe('invalid_request');
    }
    expect(sms.messages).toHaveLength(1);
  });
});

describe('tenant overrides that cannot be stored', () => {
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;

  it.each([
    ['a BigInt', { admin_role_grant: { aal: 3n } }],
    ['a circular reference', circular],
    ['a function', { admin_role_grant: { evaluate: () => true } }],
    ['a symbol', { admin_role_grant: { aal: Symbol('aal3') } }],
  ])('refuses a stepUp holding %s with invalid_request', async (_name, stepUp) => {
    const { checkpoint } = setup();
    expect(await rejectionOf(() => checkpoint.configure('acme', loose({ stepUp })))).toBe(
      'invalid_request',
    );
  });
});
