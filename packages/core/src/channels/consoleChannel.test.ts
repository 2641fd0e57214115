import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelMessage } from './Channel.js';
import { consoleChannel } from './consoleChannel.js';

const MESSAGE: ChannelMessage = {
  verificationId: 'vf_AbCdEfGhIjKlMnOpQrStUvWxYz',
  to: '+14155550100',
  code: '123456',
  text: '123456 is your Checkpoint verification code.',
  locale: 'en',
  purpose: 'login',
  tenantId: 'acme',
  expiresAt: 600_000,
};

describe('consoleChannel', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes one line with the channel name, the destination and the message text', async () => {
    const lines: string[] = [];
    const channel = consoleChannel({ name: 'sms', write: (line) => lines.push(line) });
    await channel.send(MESSAGE);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(MESSAGE.text);
    expect(lines[0]).toContain('+14155550100');
    expect(lines[0]).toContain('sms');
  });

  it('is a phone channel named console by default and takes a kind', () => {
    const channel = consoleChannel({ write: () => undefined });
    expect(channel.name).toBe('console');
    expect(channel.kind).toBe('phone');
    expect(consoleChannel({ kind: 'email', write: () => undefined }).kind).toBe('email');
  });

  it('reports delivered with a unique provider message id', async () => {
    const channel = consoleChannel({ write: () => undefined });
    const first = await channel.send(MESSAGE);
    const second = await channel.send(MESSAGE);
    expect(first.status).toBe('delivered');
    expect(first.providerMessageId).toBeDefined();
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
  });

  it('throws a TypeError naming allowInProduction when NODE_ENV is production', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => consoleChannel({ write: () => undefined })).toThrow(TypeError);
    expect(() => consoleChannel({ write: () => undefined })).toThrow(/allowInProduction: true/);
  });

  it('starts in production when allowInProduction is true', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const lines: string[] = [];
    const channel = consoleChannel({ allowInProduction: true, write: (line) => lines.push(line) });
    await channel.send(MESSAGE);
    expect(lines[0]).toContain(MESSAGE.text);
  });

  it('restores NODE_ENV after a test stubbed it', () => {
    expect(process.env.NODE_ENV).not.toBe('production');
    expect(() => consoleChannel({ write: () => undefined })).not.toThrow();
  });
});
