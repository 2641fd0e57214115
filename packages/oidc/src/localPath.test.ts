// Threat: a returnTo that a browser resolves to another host turns the login into an open redirect.
import { describe, expect, it } from 'vitest';
import { localPath } from './localPath.js';

describe('localPath', () => {
  it.each([
    ['/billing', '/billing'],
    ['/billing?tab=card#top', '/billing?tab=card#top'],
    ['/a/../billing', '/billing'],
    ['/./billing', '/billing'],
    ['/a/%2E%2E/billing', '/billing'],
    ['/..', '/'],
    ['/?next=//evil.example', '/?next=//evil.example'],
    ['/%2f%2fevil.example', '/%2f%2fevil.example'],
  ])('gives the in-app path %j normalised: %j', (input, expected) => {
    expect(localPath(input)).toBe(expected);
    expect(localPath(expected)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/a b',
    '/\t/evil.example',
    '',
    42,
    undefined,
    `/${'a'.repeat(3_000)}`,
    // Dot segments resolve away and leave '//evil.example'.
    '/.//evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/a/%2e%2e//evil.example',
    '/a/.%2e//evil.example',
    '/./\\evil.example',
    '/.\t//evil.example',
    '/./\n/evil.example',
    '/..\r\n//evil.example',
  ])('refuses %j', (input) => {
    expect(localPath(input)).toBeUndefined();
  });
});
