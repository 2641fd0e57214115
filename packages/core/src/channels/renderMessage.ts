/** How message text is rendered. @checkpoint/channels adds locales and provider templates. */
export interface MessageOptions {
  /** Product name in the text. @default 'Checkpoint' */
  appName?: string;
  /**
   * Host for the origin-bound code line (`@example.com #123456`) that WebOTP and Safari autofill
   * read; added to phone messages when set.
   */
  webOtpDomain?: string;
  /** Android SMS Retriever app hash (11 characters); added to phone messages when set. */
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
}

/**
 * @internal
 * Renders a code message. The WebOTP line is the last line, exactly `@host #code`.
 * @see https://wicg.github.io/sms-one-time-codes/ (origin-bound one-time codes)
 */
export function renderMessage(
  options: MessageOptions,
  context: Omit<RenderContext, 'appName'>,
): string {
  const appName = options.appName ?? 'Checkpoint';
  const full = { ...context, appName };
  const body =
    options.render?.(full) ??
    `${context.code} ${context.approving === undefined ? `is your ${appName} verification code` : `approves ${context.approving}`}. It expires in ${context.minutes} ${context.minutes === 1 ? 'minute' : 'minutes'}. Do not share it.`;
  if (context.kind !== 'phone') return body;
  const lines = [body];
  if (options.appHash !== undefined) lines.push('', options.appHash);
  if (options.webOtpDomain !== undefined)
    lines.push('', `@${options.webOtpDomain} #${context.code}`);
  return lines.join('\n');
}
