// Threat: an open redirect through returnTo sends a freshly stepped-up user to an attacker's site.
import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './safeReturnTo.js';

describe('safeReturnTo', () => {
  it.each([
    ['/billing', '/billing'],
    ['/billing?tab=card#top', '/billing?tab=card#top'],
    ['/a/../b', '/b'],
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

  it('keeps encoded characters encoded, so they cannot become a header or a new host', () => {
    expect(safeReturnTo('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
});
