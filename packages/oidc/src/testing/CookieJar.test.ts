import { describe, expect, it } from 'vitest';
import { CookieJar } from './CookieJar.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const IDP = 'http://127.0.0.1:4000';

describe('CookieJar', () => {
  it('sends a cookie only under its Path, longest path first', () => {
    const jar = new CookieJar();
    jar.store(
      ['_session=s1; path=/; httponly', '_interaction=i1; path=/interaction/abc; httponly'],
      new URL(`${IDP}/auth`),
      NOW,
    );
    expect(jar.header(new URL(`${IDP}/interaction/abc`), NOW)).toBe('_interaction=i1; _session=s1');
    expect(jar.header(new URL(`${IDP}/interaction/abcdef`), NOW)).toBe('_session=s1');
    expect(jar.header(new URL(`${IDP}/auth/abc`), NOW)).toBe('_session=s1');
  });

  it('drops a cookie that comes back expired, by Expires or Max-Age', () => {
    const jar = new CookieJar();
    const url = new URL(`${IDP}/auth`);
    jar.store(['a=1; path=/', 'b=2; path=/', 'c=3; path=/; max-age=60'], url, NOW);
    jar.store(
      ['a=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT', 'b=; path=/; max-age=0'],
      url,
      NOW,
    );
    expect(jar.header(url, NOW)).toBe('c=3');
    expect(jar.header(url, NOW + 61_000)).toBe('');
  });

  it('defaults the path to the directory of the URL answered', () => {
    const jar = new CookieJar();
    jar.store(['x=1'], new URL(`${IDP}/a/b`), NOW);
    expect(jar.header(new URL(`${IDP}/a/c`), NOW)).toBe('x=1');
    expect(jar.header(new URL(`${IDP}/other`), NOW)).toBe('');
  });
});
