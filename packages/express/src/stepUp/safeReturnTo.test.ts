// Threat: an open redirect through returnTo sends a freshly stepped-up user to an attacker's site.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './safeReturnTo.js';

/** Where a browser on https://app.example goes when told `Location: <path>`. */
const followed = (path: string) => new URL(path, 'https://app.example/step-up');

describe('safeReturnTo', () => {
  it.each([
    ['/billing', '/billing'],
    ['/billing?tab=card#top', '/billing?tab=card#top'],
    ['/a/../b', '/b'],
    ['/./billing', '/billing'],
    ['/a/%2e%2e/b', '/b'],
    ['/?next=//evil.example', '/?next=//evil.example'],
  ])('keeps the in-app path %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/\tevil',
    '',
    42,
    undefined,
    `/${'a'.repeat(3_000)}`,
  ])('replaces %j with the fallback', (input) => {
    expect(safeReturnTo(input, '/home')).toBe('/home');
  });

  // Dot segments are removed when the path is resolved: what is left must still be one path.
  it.each([
    '/.//evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/a/%2e%2e//evil.example',
    '/a/.%2e//evil.example',
    '/%2e/%2e//evil.example',
    '/./\\evil.example',
    '/.\t//evil.example',
    '/./\t/evil.example',
    '/.\n//evil.example',
    '/..\r\n//evil.example',
  ])('replaces %j, which resolves to another host, with the fallback', (input) => {
    expect(safeReturnTo(input, '/home')).toBe('/home');
  });

  it('keeps encoded characters encoded, so they cannot become a header or a new host', () => {
    expect(safeReturnTo('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
    expect(safeReturnTo('/%2f%2fevil.example')).toBe('/%2f%2fevil.example');
  });

  it('answers, for any string, the fallback or a path a browser keeps on this origin (property)', () => {
    // Paths built from the pieces that resolution treats specially, so the odd cases come up often.
    const pathLike = fc
      .array(fc.constantFrom('/', '.', '..', '%2e', '%2E%2E', '\\', '\t', 'a', '?', '#'), {
        maxLength: 8,
      })
      .map((parts) => `/${parts.join('')}`);
    fc.assert(
      fc.property(fc.oneof(pathLike, fc.string()), (input) => {
        const answer = safeReturnTo(input, '/fallback');
        expect(answer).toMatch(/^\/(?![/\\])/);
        expect(followed(answer).origin).toBe('https://app.example');
        // Already normal: a second pass, or the browser's resolution, changes nothing.
        expect(safeReturnTo(answer, '/fallback')).toBe(answer);
        const url = followed(answer);
        expect(`${url.pathname}${url.search}${url.hash}`).toBe(answer);
      }),
      { numRuns: 2_000 },
    );
  });
});
