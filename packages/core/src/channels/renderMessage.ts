import { originHost } from './originHost.js';

/** How message text is rendered. @checkpoint/channels adds locales and provider templates. */
export interface MessageOptions {
  /** Product name in the text. @default 'Checkpoint' */
  appName?: string;
  /**
   * Host for the origin-bound code line (`@example.com #123456`) that WebOTP and Safari autofill
   * read, added last to phone messages. Wins over the host of `createCheckpoint({ origin })` and
   * of a per-send `origin`. @default the host of the origin, when one is known
   */
  webOtpDomain?: string;
  /**
   * `false` leaves the WebOTP line out of every message, even when an origin is known.
   * @default true
   */
  webOtp?: boolean;
  /**
   * Android SMS Retriever hash of the app (11 characters), on its own line before the WebOTP
   * line of phone messages whenever it is set: Android reads the code only from messages that
   * carry it. @default none
   * @see https://developers.google.com/identity/sms-retriever/verify
   */
  appHash?: string;
  /** Replaces the built-in English text entirely. */
  render?: (context: RenderContext) => string;
}

/** What a template sees. */
export interface RenderContext {
  code: string;
  kind: 'phone' | 'email';
  locale: string;
  purpose: string;
  minutes: number;
  appName: string;
  /** What the code approves, for action-bound step-ups. */
  approving?: string;
  /**
   * The host of the WebOTP line `@host #code` the renderer appends after the body, when it will:
   * for templates that must fit the whole message in a byte budget.
   */
  webOtpHost?: string;
}

/**
 * @internal
 * Renders a code message. Phone messages end with the app hash line, when one is set, then the
 * WebOTP line, exactly `@host #code`: `options.webOtpDomain`, else the host of `origin` (a
 * per-send origin, already validated), unless `options.webOtp` is false.
 * @see https://wicg.github.io/sms-one-time-codes/ (origin-bound one-time codes)
 */
export function renderMessage(
  options: MessageOptions,
  context: Omit<RenderContext, 'appName' | 'webOtpHost'>,
  origin?: string,
): string {
  const appName = options.appName ?? 'Checkpoint';
  const host = context.kind === 'phone' ? webOtpHost(options, origin) : undefined;
  const full: RenderContext =
    host === undefined ? { ...context, appName } : { ...context, appName, webOtpHost: host };
  const body =
    options.render?.(full) ??
    `${context.code} ${context.approving === undefined ? `is your ${appName} verification code` : `approves ${context.approving}`}. It expires in ${context.minutes} ${context.minutes === 1 ? 'minute' : 'minutes'}. Do not share it.`;
  if (context.kind !== 'phone') return body;
  const lines = [body];
  if (options.appHash !== undefined) lines.push('', options.appHash);
  // The spec reads the origin-bound code from the last line only.
  if (host !== undefined) lines.push('', `@${host} #${context.code}`);
  return lines.join('\n');
}

/** The host of the WebOTP line, or undefined when there is none. */
function webOtpHost(options: MessageOptions, origin: string | undefined): string | undefined {
  if (options.webOtp === false) return undefined;
  return options.webOtpDomain ?? (origin === undefined ? undefined : originHost(origin));
}
