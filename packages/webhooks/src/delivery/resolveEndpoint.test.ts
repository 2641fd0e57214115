import { describe, expect, it } from 'vitest';
import { addressPolicy } from './addressPolicy.js';
import { EndpointRefused, resolveEndpoint, type WebhookLookup } from './resolveEndpoint.js';

const resolvesTo =
  (...addresses: string[]): WebhookLookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const options = (lookup: WebhookLookup = resolvesTo('93.184.215.14'), allowHttp = false) => ({
  allowHttp,
  lookup,
  check: addressPolicy(),
});

describe('resolveEndpoint', () => {
  it('pins the checked address and keeps the hostname for Host and TLS', async () => {
    const target = await resolveEndpoint('https://hooks.example.com:8443/in?x=1', options());
    expect(target).toMatchObject({
      address: '93.184.215.14',
      family: 4,
      servername: 'hooks.example.com',
    });
    expect(target.url.host).toBe('hooks.example.com:8443');
  });

  it('uses an IP literal as is, without a server name', async () => {
    const target = await resolveEndpoint('https://[2606:4700::1111]/in', options());
    expect(target).toMatchObject({ address: '2606:4700::1111', family: 6, servername: undefined });
  });

  it('refuses http unless allowed, other schemes always, and credentials in the URL', async () => {
    await expect(resolveEndpoint('http://hooks.example.com/', options())).rejects.toThrow(
      EndpointRefused,
    );
    await expect(
      resolveEndpoint('http://hooks.example.com/', options(undefined, true)),
    ).resolves.toBeDefined();
    await expect(
      resolveEndpoint('ftp://hooks.example.com/', options(undefined, true)),
    ).rejects.toThrow(/https/);
    await expect(resolveEndpoint('https://user:pw@hooks.example.com/', options())).rejects.toThrow(
      /credentials/,
    );
    await expect(resolveEndpoint('not a url', options())).rejects.toThrow(EndpointRefused);
  });

  it('refuses a hostname that resolves to a private address, saying which', async () => {
    await expect(
      resolveEndpoint('https://internal.example.com/', options(resolvesTo('10.0.0.7'))),
    ).rejects.toThrow('internal.example.com resolves to 10.0.0.7: a private (RFC 1918) address');
    await expect(
      resolveEndpoint('https://meta.example.com/', options(resolvesTo('169.254.169.254'))),
    ).rejects.toThrow(/link-local/);
  });

  it('refuses a hostname when any of its addresses is not public', async () => {
    await expect(
      resolveEndpoint(
        'https://mixed.example.com/',
        options(resolvesTo('93.184.215.14', '127.0.0.1')),
      ),
    ).rejects.toThrow(EndpointRefused);
  });

  it('refuses IP literals in private ranges, IPv6 included', async () => {
    for (const host of [
      '127.0.0.1',
      '10.1.1.1',
      '169.254.169.254',
      '[::1]',
      '[fd00::1]',
      '[::ffff:10.0.0.1]',
    ]) {
      await expect(resolveEndpoint(`https://${host}/`, options())).rejects.toThrow(EndpointRefused);
    }
  });

  it('passes resolver failures on as they are (a retryable error, not a refusal)', async () => {
    const failing: WebhookLookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };
    const error = await resolveEndpoint('https://nowhere.test/', options(failing)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(EndpointRefused);
  });
});
