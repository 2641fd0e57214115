// Whatever arrives as a response body, a malformed one is a 400 (invalid_request): never a crash, a pass, or a spent challenge.
import { describe, expect, it } from 'vitest';
import { createHarness } from '../fixtures/harness.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

async function assertionSetup() {
  const harness = createHarness();
  const authenticator = harness.authenticator();
  await harness.register(authenticator);
  const request = await harness.webauthn.authenticationOptions({ userId: 'u_ada' });
  return { harness, good: authenticator.authenticate(request) };
}

describe('malformed authentication responses', () => {
  type Good = Awaited<ReturnType<typeof assertionSetup>>['good'];
  const cases: [string, (good: Good) => unknown][] = [
    ['null', () => null],
    ['a string', () => 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0'],
    ['an array', (good) => [good]],
    ['rawId unlike id', (good) => ({ ...good, rawId: `${good.id}A` })],
    ['an id that is not base64url', (good) => ({ ...good, id: 'a+b/c', rawId: 'a+b/c' })],
    ['a 10 kB id', (good) => ({ ...good, id: 'A'.repeat(10_000), rawId: 'A'.repeat(10_000) })],
    ['type "password"', (good) => ({ ...good, type: 'password' })],
    ['no response object', (good) => ({ ...good, response: undefined })],
    [
      'clientDataJSON that is not base64url',
      (good) => ({ ...good, response: { ...good.response, clientDataJSON: '{"type":"x"}' } }),
    ],
    [
      'clientDataJSON that is not JSON',
      (good) => ({ ...good, response: { ...good.response, clientDataJSON: b64('not json') } }),
    ],
    [
      'clientDataJSON that is a JSON array',
      (good) => ({ ...good, response: { ...good.response, clientDataJSON: b64('[1,2]') } }),
    ],
    [
      'clientDataJSON without a challenge',
      (good) => ({
        ...good,
        response: {
          ...good.response,
          clientDataJSON: b64('{"type":"webauthn.get","origin":"https://console.acme.example"}'),
        },
      }),
    ],
    [
      'a challenge of {"$ne": 1}',
      (good) => ({
        ...good,
        response: {
          ...good.response,
          clientDataJSON: b64(
            '{"type":"webauthn.get","challenge":{"$ne":1},"origin":"https://console.acme.example"}',
          ),
        },
      }),
    ],
    [
      'crossOrigin as a string',
      (good) => {
        const data = JSON.parse(
          Buffer.from(good.response.clientDataJSON, 'base64url').toString(),
        ) as Record<string, unknown>;
        return {
          ...good,
          response: {
            ...good.response,
            clientDataJSON: b64(JSON.stringify({ ...data, crossOrigin: 'false' })),
          },
        };
      },
    ],
    [
      'authenticator data of 10 bytes',
      (good) => ({ ...good, response: { ...good.response, authenticatorData: b64('0123456789') } }),
    ],
    [
      'a signature that is a number',
      (good) => ({ ...good, response: { ...good.response, signature: 12 } }),
    ],
    [
      'a user handle longer than 64 bytes',
      (good) => ({ ...good, response: { ...good.response, userHandle: b64('u'.repeat(65)) } }),
    ],
  ];

  it.each(cases)(
    'answers %s with invalid_request and leaves the challenge usable',
    async (_, mangle) => {
      const { harness, good } = await assertionSetup();
      await expect(
        harness.webauthn.verifyAuthentication({ userId: 'u_ada', response: mangle(good) }),
      ).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
      await expect(
        harness.webauthn.verifyAuthentication({ userId: 'u_ada', response: good }),
      ).resolves.toMatchObject({ userId: 'u_ada' });
    },
  );

  it('ignores unknown and __proto__ fields', async () => {
    const { harness, good } = await assertionSetup();
    const polluted = JSON.parse(
      `{"__proto__":{"verified":true},"extra":1,${JSON.stringify(good).slice(1)}`,
    ) as unknown;
    await expect(
      harness.webauthn.verifyAuthentication({ userId: 'u_ada', response: polluted }),
    ).resolves.toMatchObject({ userId: 'u_ada' });
    expect(({} as Record<string, unknown>)['verified']).toBeUndefined();
  });

  it.each([
    ['a numeric userId', { userId: 42 }],
    ['an empty tenantId', { userId: 'u_ada', tenantId: '' }],
  ])('answers %s with invalid_request', async (_, input) => {
    const { harness, good } = await assertionSetup();
    await expect(
      harness.webauthn.verifyAuthentication({ ...(input as object), response: good }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('malformed registration responses and inputs', () => {
  it.each<[string, (response: Record<string, unknown>) => unknown]>([
    ['an attestationObject that is not CBOR', (r) => ({ ...r, attestationObject: b64('{}') })],
    ['transports that are not strings', (r) => ({ ...r, transports: [1, 2] })],
    ['no attestationObject', (r) => ({ ...r, attestationObject: undefined })],
  ])('answers %s with invalid_request', async (_, mangle) => {
    const harness = createHarness();
    const good = harness
      .authenticator()
      .register(await harness.webauthn.registrationOptions({ userId: 'u_ada', userName: 'ada' }));
    await expect(
      harness.webauthn.verifyRegistration({
        userId: 'u_ada',
        response: { ...good, response: mangle({ ...good.response }) },
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses an id that differs from the credential id the authenticator attested', async () => {
    const harness = createHarness();
    const good = harness
      .authenticator()
      .register(await harness.webauthn.registrationOptions({ userId: 'u_ada', userName: 'ada' }));
    const other = Buffer.alloc(32, 1).toString('base64url');
    await expect(
      harness.webauthn.verifyRegistration({
        userId: 'u_ada',
        response: { ...good, id: other, rawId: other },
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it.each([
    ['a userId over 64 bytes', { userId: 'é'.repeat(33), userName: 'ada' }],
    ['an email-sized userName of 300 characters', { userId: 'u_ada', userName: 'a'.repeat(300) }],
    ['no userName', { userId: 'u_ada' }],
  ])('answers registration options with %s with invalid_request', async (_, input) => {
    const harness = createHarness();
    await expect(
      harness.webauthn.registrationOptions(input as { userId: string; userName: string }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
