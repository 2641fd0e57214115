import {
  type Channel,
  type ChannelMessage,
  type ChannelSendResult,
  CheckpointError,
  maskEmail,
} from '@checkpoint/core';
import {
  createTransport,
  type NodemailerError,
  type SMTPTransportOptions,
  type Transporter,
} from 'nodemailer';
import { renderEmail } from '../templates/renderEmail.js';
import { minutesLeft, type TemplateOverrides } from '../templates/renderTemplate.js';

/** Options of {@link smtpEmail}. */
export interface SmtpEmailOptions {
  /**
   * A nodemailer transporter, or SMTP options / an `smtp://` URL to create one with. Options
   * get OTP-sized timeouts unless they set their own: connect 10 s, greeting 10 s, idle 20 s.
   */
  transport: Transporter | SMTPTransportOptions | string;
  /** Sender, e.g. `'Acme <no-reply@acme.example>'`. */
  from: string;
  /** Replaces the locale's subject. */
  subject?: string;
  /** Product name in the text. @default 'Checkpoint' */
  appName?: string;
  /**
   * Origin the code is bound to, sent as the `OTP-Token` header (draft-goto-otp-token) for
   * mail clients that offer to fill the code in, e.g. `'https://console.acme.example'`.
   */
  otpOrigin?: string;
  templates?: TemplateOverrides;
  /** @default 'email' */
  name?: string;
  /** @default Date.now */
  now?: () => number;
}

/** The email channel: a core `Channel`, and `close()` for a transport it created. */
export interface SmtpEmailChannel extends Channel {
  /** Closes the transport when the channel created it; a given transporter stays open. */
  close(): void;
}

const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/**
 * Email through SMTP with nodemailer: a plain-text part and an escaped HTML part in the
 * message's locale, the code in both, `Auto-Submitted: auto-generated`. Status `sent` once
 * the server accepted it (SMTP has no delivery receipts).
 *
 * A recipient the server refuses for good (5xx) is `invalid_request` (as core answers a
 * malformed address); connection, authentication and temporary failures are
 * `channel_unavailable`.
 *
 * @example
 * const email = smtpEmail({ transport: { host: 'smtp.acme.example', port: 587, auth: { user, pass } }, from: 'Acme <no-reply@acme.example>', appName: 'Acme' });
 */
export function smtpEmail(options: SmtpEmailOptions): SmtpEmailChannel {
  if (typeof options !== 'object' || options === null || options.transport === undefined) {
    throw new TypeError(
      'smtpEmail requires { transport, from }: a nodemailer transporter or SMTP options',
    );
  }
  const {
    transport,
    from,
    subject,
    appName = 'Checkpoint',
    otpOrigin,
    templates,
    name = 'email',
    now = Date.now,
  } = options;
  if (typeof from !== 'string' || from.length === 0) {
    throw new TypeError('smtpEmail requires `from`, e.g. "Acme <no-reply@acme.example>"');
  }
  const owned = !isTransporter(transport);
  const transporter: Transporter = isTransporter(transport)
    ? transport
    : createTransport(
        typeof transport === 'string' ? transport : { ...SMTP_TIMEOUTS, ...transport },
      );

  return {
    name,
    kind: 'email',
    async send(message: ChannelMessage): Promise<ChannelSendResult> {
      const content = renderEmail({
        code: message.code,
        locale: message.locale,
        appName,
        minutes: minutesLeft(message.expiresAt, now()),
        ...(subject === undefined ? {} : { subject }),
        ...(templates === undefined ? {} : { templates }),
      });
      try {
        const info = await transporter.sendMail({
          from,
          to: message.to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
          ...(otpOrigin === undefined ? {} : { otp: { code: message.code, origin: otpOrigin } }),
        });
        return { providerMessageId: info.messageId, status: 'sent' };
      } catch (error) {
        throw smtpError(error, maskEmail(message.to));
      }
    },
    close() {
      if (owned) transporter.close();
    },
  };
}

function isTransporter(value: unknown): value is Transporter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Transporter).sendMail === 'function'
  );
}

function smtpError(error: unknown, destination: string): CheckpointError {
  const failure = (error ?? {}) as NodemailerError;
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const reasons = [
    ...(typeof failure.code === 'string' ? [`smtp:${failure.code}`] : []),
    ...(responseCode === undefined ? [] : [`smtp:${responseCode}`]),
  ];
  if (failure.code === 'EENVELOPE' && failure.permanent === true) {
    return new CheckpointError(
      'invalid_request',
      `email: the mail server refused the address ${destination} (SMTP ${responseCode ?? 'error'})`,
      {
        reasons,
      },
    );
  }
  const why =
    failure.code === 'EAUTH'
      ? 'the mail server refused the credentials'
      : failure.code === 'ETIMEDOUT'
        ? 'the mail server did not answer in time'
        : failure.code === 'ECONNECTION' || failure.code === 'ESOCKET' || failure.code === 'EDNS'
          ? 'the mail server could not be reached'
          : responseCode === undefined
            ? 'the mail could not be sent'
            : `the mail server answered ${responseCode}`;
  // A server's reply may quote the address; only errors without one go along as the cause.
  return new CheckpointError(
    'channel_unavailable',
    `email could not be sent to ${destination}: ${why}`,
    {
      reasons,
      ...(responseCode === undefined ? { cause: error } : {}),
    },
  );
}
