import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateWhatsAppSignature, whatsappSignature } from './validateWhatsAppSignature.js';

const appSecret = 'meta-app-secret';
// As Meta sends it: non-ASCII escaped, slashes escaped.
const rawBody = Buffer.from(
  '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"name":"Jos\\u00e9","url":"https:\\/\\/x"},"field":"messages"}]}]}',
);
const header = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

describe('validateWhatsAppSignature', () => {
  it('accepts sha256= and the hex HMAC of the raw body', () => {
    expect(whatsappSignature({ appSecret, rawBody })).toBe(header);
    expect(validateWhatsAppSignature({ appSecret, rawBody, header })).toBe(true);
    expect(
      validateWhatsAppSignature({ appSecret, rawBody: rawBody.toString('utf8'), header }),
    ).toBe(true);
  });

  it('rejects the same JSON serialised again', () => {
    const reserialised = JSON.stringify(JSON.parse(rawBody.toString('utf8')));
    expect(reserialised).not.toBe(rawBody.toString('utf8'));
    expect(validateWhatsAppSignature({ appSecret, rawBody: reserialised, header })).toBe(false);
  });

  it('rejects another secret or a changed body', () => {
    expect(validateWhatsAppSignature({ appSecret: 'other', rawBody, header })).toBe(false);
    expect(
      validateWhatsAppSignature({
        appSecret,
        rawBody: Buffer.concat([rawBody, Buffer.from(' ')]),
        header,
      }),
    ).toBe(false);
  });

  it('answers false, without throwing, for malformed headers', () => {
    const hex = header.slice('sha256='.length);
    for (const bad of [
      hex,
      `sha1=${hex}`,
      `SHA256=${hex}`,
      `sha256=${hex.toUpperCase()}`,
      `sha256=${hex.slice(0, -2)}`,
      `sha256=${hex}00`,
      `sha256=${hex.slice(0, -1)}g`,
      ` ${header}`,
      '',
      undefined,
      [header],
    ]) {
      expect(validateWhatsAppSignature({ appSecret, rawBody, header: bad })).toBe(false);
    }
  });

  it('fails closed without an app secret and refuses a parsed body', () => {
    expect(() => validateWhatsAppSignature({ appSecret: '', rawBody, header })).toThrow(TypeError);
    expect(() =>
      validateWhatsAppSignature({
        appSecret,
        rawBody: { object: 'x' } as unknown as string,
        header,
      }),
    ).toThrow(/raw body/);
  });
});
