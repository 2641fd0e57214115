import type { MessageOptions } from './renderMessage.js';
import { originHost } from './originHost.js';

/**
 * @internal
 * The message options a checkpoint renders with: `message` plus, when the app's `origin` is
 * known, its host as the WebOTP domain. An explicit `message.webOtpDomain` wins, and
 * `message.webOtp: false` turns the line off. Misuse throws a TypeError that says what to pass.
 *
 * @example messageOptions({ appName: 'Acme' }, 'https://app.example.com') // { appName: 'Acme', webOtpDomain: 'app.example.com' }
 */
export function messageOptions(
  message: MessageOptions | undefined,
  origin: string | undefined,
): MessageOptions {
  const options = message ?? {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'createCheckpoint: `message` must be an object such as { appName: "Acme" }',
    );
  }
  if (options.webOtp !== undefined && typeof options.webOtp !== 'boolean') {
    throw new TypeError('createCheckpoint: `message.webOtp` must be true or false');
  }
  if (origin === undefined) return options;
  const host = originHost(origin);
  if (host === undefined) {
    throw new TypeError(
      'createCheckpoint: `origin` must be the http(s) origin the app is served from, such as "https://app.example.com" (no path, not an IP address)',
    );
  }
  if (options.webOtp === false || options.webOtpDomain !== undefined) return options;
  return { ...options, webOtpDomain: host };
}
