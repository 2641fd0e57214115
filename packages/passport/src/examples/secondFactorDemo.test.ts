import { expect, it } from 'vitest';
import { secondFactorDemo } from './secondFactorDemo.js';

it('runs the README second-factor walkthrough: the password alone is not a login, the code is', async () => {
  const lines: string[] = [];
  expect(await secondFactorDemo((line) => lines.push(line))).toEqual([202, 401, 200, 200]);
  expect(lines).toContain('code -> 200, factors ["pwd","otp-sms"]');
  expect(lines).toContain('session id changed on login: yes');
});
