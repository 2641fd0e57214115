import { describe, expect, it } from 'vitest';
import { ENTERPRISE_PRESET } from './catalogue.js';
import { validateTenantPolicy } from './TenantPolicy.js';

const IDP = 'https://login.acme.example';

describe('validateTenantPolicy', () => {
  it('returns a valid policy as given', () => {
    const tenant = {
      id: 'acme',
      trustIdpMfa: true,
      trustedIdps: [{ issuer: IDP, acr: { 'urn:idp:mfa': 2, phrh: 3 } }],
      emailOtpCountsAsFactor: false,
      stepUp: { ...ENTERPRISE_PRESET, refund: { aal: 2, maxAgeSeconds: 120, methods: ['totp'] } },
    };
    expect(validateTenantPolicy(tenant)).toBe(tenant);
  });

  it("accepts settings it does not read, such as the rest of @checkpoint/core's tenant config", () => {
    expect(() => validateTenantPolicy({ id: 'acme', codeLength: 6, velocity: {} })).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    ['no object', null, /a tenant policy must be an object such as \{ id: 'acme' \}/],
    ['an empty id', { id: '' }, /tenant\.id must be the tenant's id, a non-empty string/],
    [
      'a trustIdpMfa that is a string',
      { id: 'a', trustIdpMfa: 'yes' },
      /tenant\.trustIdpMfa must be true or false/,
    ],
    [
      'an emailOtpCountsAsFactor of 1',
      { id: 'a', emailOtpCountsAsFactor: 1 },
      /emailOtpCountsAsFactor must be true or false/,
    ],
    [
      'trustedIdps that are not a list',
      { id: 'a', trustedIdps: {} },
      /tenant\.trustedIdps must be an array/,
    ],
    [
      'an IdP without an issuer',
      { id: 'a', trustedIdps: [{ acr: {} }] },
      /trustedIdps\[0\] must be \{ issuer/,
    ],
    [
      'an IdP listed twice',
      {
        id: 'a',
        trustedIdps: [
          { issuer: IDP, acr: {} },
          { issuer: IDP, acr: {} },
        ],
      },
      /trustedIdps\[1\] repeats the issuer/,
    ],
    [
      'an IdP that says nothing to trust',
      { id: 'a', trustedIdps: [{ issuer: IDP }] },
      /trustedIdps\[0\] must say what to trust: acr: .*, amr: .* or acrs: /,
    ],
    [
      'an acr map that is a list',
      { id: 'a', trustedIdps: [{ issuer: IDP, acr: ['urn:idp:mfa'] }] },
      /trustedIdps\[0\]\.acr must map acr values to AALs/,
    ],
    [
      'an acr mapped to aal 4',
      { id: 'a', trustedIdps: [{ issuer: IDP, acr: { x: 4 } }] },
      /must be 1, 2 or 3 \(an AAL\), got 4/,
    ],
    ['a stepUp list', { id: 'a', stepUp: [] }, /tenant\.stepUp must be an object/],
    [
      'an override of an unknown checkpoint that does not define it fully',
      { id: 'a', stepUp: { lgoin: { aal: 3 } } },
      /tenant\.stepUp\.lgoin defines a checkpoint that is not built in: pass aal, maxAgeSeconds and methods/,
    ],
    [
      'an override with aal 4',
      { id: 'a', stepUp: { login: { aal: 4 } } },
      /tenant\.stepUp\.login\.aal must be 1, 2 or 3/,
    ],
    [
      'a negative maxAgeSeconds',
      { id: 'a', stepUp: { data_export: { maxAgeSeconds: -5 } } },
      /tenant\.stepUp\.data_export\.maxAgeSeconds must be a whole number of seconds from 0 to 2592000/,
    ],
    [
      'a misspelt field',
      { id: 'a', stepUp: { login: { maxAge: 60 } } },
      /unknown field "maxAge"; pass aal, maxAgeSeconds, methods or phishingResistant/,
    ],
    [
      'an unknown method',
      { id: 'a', stepUp: { login: { methods: ['sms'] } } },
      /holds "sms"; methods are pwd/,
    ],
    [
      'no methods',
      { id: 'a', stepUp: { login: { methods: [] } } },
      /methods must be a non-empty array of methods/,
    ],
    [
      'a method listed twice',
      { id: 'a', stepUp: { login: { methods: ['totp', 'totp'] } } },
      /lists a method twice/,
    ],
    [
      'aal 3 without WebAuthn or SSO',
      { id: 'a', stepUp: { billing_change: { aal: 3, methods: ['otp-sms', 'pwd'] } } },
      /methods must include 'webauthn' \(or 'sso'\) for aal 3/,
    ],
    [
      'a phishingResistant that is a string',
      { id: 'a', stepUp: { login: { phishingResistant: 'true' } } },
      /phishingResistant must be true or false/,
    ],
    [
      'an override that is not an object',
      { id: 'a', stepUp: { login: 3 } },
      /tenant\.stepUp\.login must be an object/,
    ],
    [
      'a checkpoint name with spaces',
      { id: 'a', stepUp: { 'big refund': { aal: 2, maxAgeSeconds: 1, methods: ['pwd'] } } },
      /a tenant\.stepUp key must be a checkpoint name/,
    ],
  ])('throws a TypeError that says what to pass for %s', (_name, tenant, message) => {
    expect(() => validateTenantPolicy(tenant)).toThrow(TypeError);
    expect(() => validateTenantPolicy(tenant)).toThrow(message);
  });
});
