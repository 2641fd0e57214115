import { describe, expect, it } from 'vitest';
import { originHost } from './originHost.js';

describe('originHost', () => {
  it('gives the host of an http(s) origin, without its port', () => {
    expect(originHost('https://app.example.com')).toBe('app.example.com');
    expect(originHost('https://app.example.com/')).toBe('app.example.com');
    expect(originHost('http://localhost:3000')).toBe('localhost');
    expect(originHost('https://App.Example.com:8443')).toBe('app.example.com');
  });

  it('refuses anything that is not exactly an origin naming a domain', () => {
    for (const value of [
      undefined,
      '',
      'app.example.com',
      'ftp://app.example.com',
      'https://app.example.com/login',
      'https://app.example.com#x',
      'https://a:b@app.example.com',
      'https://203.0.113.7',
      'https://[::1]',
      `https://${'a'.repeat(400)}.com`,
    ]) {
      expect(originHost(value)).toBeUndefined();
    }
  });
});
