import type { AddressInfo } from 'node:net';
import { isCheckpointError } from '@checkpoint/core';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { channelMessage, rejectionOf } from '../fixtures/channelMessage.js';
import { type SmtpEmailOptions, smtpEmail } from './smtpEmail.js';

interface Inbox {
  port: number;
  /** Raw RFC 5322 messages, as received. */
  messages: string[];
  recipients: string[];
  stop(): Promise<void>;
}

const servers: Inbox[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A real SMTP server on loopback (smtp-server), no TLS. */
async function startInbox({
  rejectRecipient = false,
  password,
}: {
  rejectRecipient?: boolean;
  password?: string;
} = {}): Promise<Inbox> {
  const messages: string[] = [];
  const recipients: string[] = [];
  const server = new SMTPServer({
    disabledCommands: password === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: password === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.password === password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (rejectRecipient) {
        callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        return;
      }
      recipients.push(address.address);
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  const inbox = {
    port,
    messages,
    recipients,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(inbox);
  return inbox;
}

/** The decoded body of the first MIME part of `type` in a raw message. */
function part(raw: string, type: string): string {
  const sections = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const section = sections.find((item) => new RegExp(`^Content-Type: ${type}`, 'im').test(item));
  if (section === undefined) throw new Error(`no ${type} part`);
  const [head = '', ...rest] = section.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(head))
    return Buffer.from(body, 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function email(inbox: Inbox, overrides: Partial<SmtpEmailOptions> = {}) {
  return smtpEmail({
    transport: { host: '127.0.0.1', port: inbox.port, secure: false, ignoreTLS: true },
    from: 'Acme <no-reply@acme.example>',
    appName: 'Acme',
    ...overrides,
  });
}

describe('smtpEmail', () => {
  it('delivers the code to a real SMTP server, in a text and an HTML part', async () => {
    const inbox = await startInbox();
    const channel = email(inbox);
    const result = await channel.send(channelMessage({ to: 'jane@example.com', code: '550912' }));
    channel.close();

    expect(result.status).toBe('sent');
    expect(result.providerMessageId).toMatch(/^<.+@.+>$/);
    expect(inbox.recipients).toEqual(['jane@example.com']);
    const [raw = ''] = inbox.messages;
    expect(raw).toMatch(/^From: Acme <no-reply@acme\.example>$/m);
    expect(raw).toMatch(/^To: jane@example\.com$/m);
    expect(raw).toMatch(/^Subject: Your Acme verification code$/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(raw).toContain(`Message-ID: ${result.providerMessageId}`);
    expect(part(raw, 'text/plain')).toContain('\n    550912\n');
    expect(part(raw, 'text/plain')).toContain('It expires in 10 minutes.');
    expect(part(raw, 'text/html')).toMatch(/>550912<\/p>/);
  });

  it('writes in the message locale, escapes the HTML and can bind the code to an origin', async () => {
    const inbox = await startInbox();
    const channel = email(inbox, {
      appName: 'R&D <Console>',
      otpOrigin: 'https://console.acme.example',
    });
    await channel.send(channelMessage({ to: 'jose@example.com', code: '120044', locale: 'es-MX' }));
    channel.close();

    const [raw = ''] = inbox.messages;
    expect(part(raw, 'text/plain')).toContain('Tu código de verificación de R&D <Console> es:');
    expect(part(raw, 'text/html')).toContain('R&amp;D &lt;Console&gt;');
    expect(part(raw, 'text/html')).not.toContain('<Console>');
    expect(raw).toMatch(/^OTP-Token: .*120044/m);
  });

  it('uses a transporter it is given, and leaves it open', async () => {
    const inbox = await startInbox();
    const transporter = createTransport({ host: '127.0.0.1', port: inbox.port, ignoreTLS: true });
    const channel = email(inbox, { transport: transporter, subject: 'Sign-in code' });
    await channel.send(channelMessage({ to: 'jane@example.com' }));
    channel.close();
    await channel.send(channelMessage({ to: 'jane@example.com' }));
    transporter.close();
    expect(inbox.messages).toHaveLength(2);
    expect(inbox.messages[0]).toMatch(/^Subject: Sign-in code$/m);
  });

  it('answers an address the server refuses for good as invalid_request, masked', async () => {
    const inbox = await startInbox({ rejectRecipient: true });
    const channel = email(inbox);
    const error = await rejectionOf(channel.send(channelMessage({ to: 'nobody@example.com' })));
    channel.close();
    expect(isCheckpointError(error) && error.code).toBe('invalid_request');
    expect(isCheckpointError(error) && error.reasons).toEqual(['smtp:EENVELOPE', 'smtp:550']);
    expect((error as Error).message).toContain('n***@e***.com');
    expect((error as Error).message).not.toContain('nobody@example.com');
  });

  it('answers refused credentials as channel_unavailable', async () => {
    const inbox = await startInbox({ password: 'right' });
    const channel = email(inbox, {
      transport: {
        host: '127.0.0.1',
        port: inbox.port,
        ignoreTLS: true,
        auth: { user: 'app', pass: 'wrong' },
      },
    });
    const error = await rejectionOf(channel.send(channelMessage({ to: 'jane@example.com' })));
    channel.close();
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect((error as Error).message).toContain('refused the credentials');
    expect((error as Error).message).not.toContain('wrong');
  });

  it('answers an unreachable server as channel_unavailable', async () => {
    const inbox = await startInbox();
    await inbox.stop();
    const channel = email(inbox);
    const error = await rejectionOf(channel.send(channelMessage({ to: 'jane@example.com' })));
    channel.close();
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect((error as Error).message).toContain('could not be reached');
  });

  it('refuses missing options at construction', () => {
    expect(() => smtpEmail({ from: 'x@y.z' } as SmtpEmailOptions)).toThrow(/transport/);
    expect(() => smtpEmail({ transport: { host: 'localhost' }, from: '' })).toThrow(/from/);
  });
});
