import { describe, expect, it } from 'vitest';
import { sandboxBehaviour } from './sandboxBehaviour.js';

describe('sandboxBehaviour', () => {
  it.each([
    ['+14155550100', 'deliver'],
    ['+12025550119', 'deliver'],
    ['+14155550120', 'fail'],
    ['+14155550131', 'silent'],
    ['+14155550149', 'timeout'],
    ['+14155550150', 'invalid'],
    ['+14155550169', 'unavailable'],
  ])('gives %s the behaviour %s, whatever the area code', (to, behaviour) => {
    expect(sandboxBehaviour(to)).toBe(behaviour);
  });

  it.each([
    '+14155550170',
    '+14155550199',
    '+14155550200',
    '+14155551234',
    '+447700900100',
    '4155550100',
  ])('reserves nothing else: %s', (to) => {
    expect(sandboxBehaviour(to)).toBeUndefined();
  });

  it('reads the behaviour from the local part of a sandbox.test address, tags allowed', () => {
    expect(sandboxBehaviour('deliver@sandbox.test')).toBe('deliver');
    expect(sandboxBehaviour('Fail+alice@Sandbox.Test')).toBe('fail');
    expect(sandboxBehaviour('silent+x.y@sandbox.test')).toBe('silent');
    expect(sandboxBehaviour('timeout@sandbox.test')).toBe('timeout');
    expect(sandboxBehaviour('deliver@example.com')).toBeUndefined();
    expect(sandboxBehaviour('other@sandbox.test')).toBeUndefined();
    expect(sandboxBehaviour('constructor@sandbox.test')).toBeUndefined();
  });
});
