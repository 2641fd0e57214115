// Tenant-supplied endpoint URLs must not reach loopback, private or link-local addresses (SSRF),
// checked on the address actually connected to, so DNS rebinding cannot get around the check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebhookLookup } from './delivery/resolveEndpoint.js';
import { auditEvent, TEST_SECRET } from './fixtures/events.js';
import { endpointOn, useDeliveryTestbed } from './fixtures/deliveryTestbed.js';

const testbed = useDeliveryTestbed();
const strict = { allowPrivateNetworks: false } as const;

const resolvesTo =
  (address: string): WebhookLookup =>
  async () => [{ address, family: address.includes(':') ? 6 : 4 }];

describe('createWebhooks SSRF rules', () => {
  it('refuses http endpoints unless allowHttp is set', async () => {
    const receiver = await testbed.receiver();
    const { webhooks, reported } = testbed.webhooks([endpointOn(receiver)], { allowHttp: false });

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({
      reason: 'refused',
      attempt: 1,
      error: expect.stringMatching(/https/) as unknown,
    });
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('refuses endpoints at 127.0.0.1, 10.x and 169.254.169.254 without allowPrivateNetworks', async () => {
    const receiver = await testbed.receiver();
    const port = receiver.port;
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://10.0.0.7:${port}/`,
      `http://169.254.169.254:${port}/`,
    ];
    const { webhooks, reported } = testbed.webhooks(
      urls.map((url) => ({ url, secret: TEST_SECRET })),
      strict,
    );

    await expect(webhooks.publish(auditEvent())).resolves.toBe(3);
    const refused = await reported({ outcome: 'dead_letter', reason: 'refused' }, 3);
    expect(refused.map((report) => report.error).sort()).toEqual([
      '10.0.0.7: a private (RFC 1918) address; allow it with allowPrivateNetworks or allowedAddresses',
      '127.0.0.1: a loopback address; allow it with allowPrivateNetworks or allowedAddresses',
      '169.254.169.254: a link-local address; allow it with allowPrivateNetworks or allowedAddresses',
    ]);
    expect(receiver.deliveries).toHaveLength(0);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
  ])('refuses a hostname that resolves to %s (%s)', async (address, words) => {
    const receiver = await testbed.receiver();
    const { webhooks, reported } = testbed.webhooks(
      [{ url: `http://hooks.customer.example:${receiver.port}/`, secret: TEST_SECRET }],
      { ...strict, lookup: resolvesTo(address) },
    );

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead?.reason).toBe('refused');
    expect(dead?.error).toContain(`hooks.customer.example resolves to ${address}: a ${words}`);
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('reaches a loopback endpoint when allowPrivateNetworks or allowedAddresses allow it', async () => {
    const receiver = await testbed.receiver();
    const open = testbed.webhooks([endpointOn(receiver, '/open')], { allowPrivateNetworks: true });
    const listed = testbed.webhooks([endpointOn(receiver, '/listed')], {
      ...strict,
      allowedAddresses: ['127.0.0.1/32'],
    });

    await open.webhooks.publish(auditEvent());
    await listed.webhooks.publish(auditEvent());
    await open.reported({ outcome: 'delivered' });
    await listed.reported({ outcome: 'delivered' });
    expect(receiver.deliveries.map((request) => request.path).sort()).toEqual(['/listed', '/open']);
  });

  it('connects to the address it checked when DNS answers public first and private second', async () => {
    // 127.0.0.1 stands in for a public address (allowlisted); 127.0.0.2 is the internal service.
    const outside = await testbed.receiver({ host: '127.0.0.1' });
    const inside = await testbed.receiver({ host: '127.0.0.2', port: outside.port });
    outside.reply({ status: 500 });
    let lookups = 0;
    const rebinding: WebhookLookup = async () => {
      lookups += 1;
      return [{ address: lookups === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const { webhooks, reported } = testbed.webhooks(
      [{ url: `http://rebind.customer.example:${outside.port}/hooks`, secret: TEST_SECRET }],
      { ...strict, allowedAddresses: ['127.0.0.1'], lookup: rebinding },
    );

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead).toMatchObject({
      attempt: 2,
      reason: 'refused',
      error: expect.stringContaining('resolves to 127.0.0.2') as unknown,
    });
    expect(lookups).toBe(2); // one resolution per attempt: none left for the connection to make
    expect(outside.deliveries).toHaveLength(1);
    expect(outside.deliveries[0]?.headers.host).toBe(`rebind.customer.example:${outside.port}`);
    expect(inside.deliveries).toHaveLength(0);
  });

  it('sends the hostname as Host and TLS server name while connecting to the checked address', async () => {
    const cert = readFileSync(new URL('./fixtures/cert.pem', import.meta.url));
    const key = readFileSync(new URL('./fixtures/key.pem', import.meta.url));
    const receiver = await testbed.receiver({ tls: { key, cert } });
    const url = `https://hooks.example.test:${receiver.port}/hooks`;
    const { webhooks, reported } = testbed.webhooks([{ url, secret: TEST_SECRET }], {
      ...strict,
      allowHttp: false,
      allowedAddresses: ['127.0.0.1'],
      lookup: resolvesTo('127.0.0.1'),
      ca: cert,
    });

    await webhooks.publish(auditEvent());
    await reported({ outcome: 'delivered' });
    expect(receiver.deliveries[0]).toMatchObject({
      servername: 'hooks.example.test',
      headers: expect.objectContaining({ host: `hooks.example.test:${receiver.port}` }) as unknown,
    });
  });

  it('refuses a certificate that does not name the endpoint host', async () => {
    const cert = readFileSync(new URL('./fixtures/cert.pem', import.meta.url));
    const key = readFileSync(new URL('./fixtures/key.pem', import.meta.url));
    const receiver = await testbed.receiver({ tls: { key, cert } });
    const { webhooks, reported } = testbed.webhooks(
      [{ url: `https://other.example.test:${receiver.port}/hooks`, secret: TEST_SECRET }],
      {
        ...strict,
        allowedAddresses: ['127.0.0.1'],
        lookup: resolvesTo('127.0.0.1'),
        ca: cert,
        retrySchedule: [],
      },
    );

    await webhooks.publish(auditEvent());
    const [dead] = await reported({ outcome: 'dead_letter' });
    expect(dead?.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(receiver.deliveries).toHaveLength(0);
  });
});
