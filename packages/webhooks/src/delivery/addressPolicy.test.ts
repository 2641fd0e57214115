// Webhook endpoints are tenant-supplied URLs: they must not reach the sender's own network (SSRF).
import { describe, expect, it } from 'vitest';
import { addressPolicy } from './addressPolicy.js';

const strict = addressPolicy();

describe('addressPolicy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['169.254.169.254', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456:789a::1', 'unique_local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (address, category) => {
    expect(strict(address)).toEqual({ allowed: false, category });
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['0:0:0:0:0:ffff:a00:1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:a9fe:a9fe::1', 'link_local'],
  ])('judges the IPv4 address inside %s (%s)', (address, category) => {
    expect(strict(address)).toEqual({ allowed: false, category });
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(strict(address)).toEqual({ allowed: true });
  });

  it('refuses what is not an IP address', () => {
    expect(strict('example.com')).toEqual({ allowed: false, category: 'invalid' });
  });

  it('allows private unicast ranges with allowPrivateNetworks, never unspecified or multicast', () => {
    const open = addressPolicy({ allowPrivateNetworks: true });
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', 'fd00::1', '::1']) {
      expect(open(address)).toEqual({ allowed: true });
    }
    expect(open('0.0.0.0')).toEqual({ allowed: false, category: 'unspecified' });
    expect(open('224.0.0.1')).toEqual({ allowed: false, category: 'multicast' });
  });

  it('allows exactly the listed addresses and ranges', () => {
    const listed = addressPolicy({ allowedAddresses: ['127.0.0.1', '10.20.0.0/16', 'fd00::/8'] });
    expect(listed('127.0.0.1')).toEqual({ allowed: true });
    expect(listed('::ffff:127.0.0.1')).toEqual({ allowed: true });
    expect(listed('127.0.0.2')).toEqual({ allowed: false, category: 'loopback' });
    expect(listed('10.20.3.4')).toEqual({ allowed: true });
    expect(listed('10.21.0.1')).toEqual({ allowed: false, category: 'private' });
    expect(listed('fd00::5')).toEqual({ allowed: true });
    expect(listed('169.254.169.254')).toEqual({ allowed: false, category: 'link_local' });
  });

  it('throws a TypeError for an allowlist entry that is not an address or range', () => {
    expect(() => addressPolicy({ allowedAddresses: ['10.0.0.0/33'] })).toThrow(TypeError);
    expect(() => addressPolicy({ allowedAddresses: ['intranet.local'] })).toThrow(/CIDR/);
  });
});
