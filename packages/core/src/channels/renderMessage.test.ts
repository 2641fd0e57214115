import { describe, expect, it } from 'vitest';
import { type RenderContext, renderMessage } from './renderMessage.js';

const PHONE = {
  code: '123456',
  kind: 'phone',
  locale: 'en',
  purpose: 'login',
  minutes: 10,
} as const;
const EMAIL = { ...PHONE, kind: 'email' } as const;

describe('renderMessage', () => {
  it('renders the default English text with the code, the app name and the minutes', () => {
    const text = renderMessage({}, PHONE);
    expect(text).toBe(
      '123456 is your Checkpoint verification code. It expires in 10 minutes. Do not share it.',
    );
  });

  it('uses the configured app name', () => {
    expect(renderMessage({ appName: 'Acme Console' }, EMAIL)).toContain(
      'your Acme Console verification code',
    );
  });

  it('ends a phone message with exactly @domain #code on its own line', () => {
    const text = renderMessage({ webOtpDomain: 'example.com' }, PHONE);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('@example.com #123456');
    expect(lines[0]).toContain('123456 is your Checkpoint verification code');
  });

  it('adds no WebOTP line to email messages', () => {
    const text = renderMessage({ webOtpDomain: 'example.com', appHash: 'FA+9qCX9VSu' }, EMAIL);
    expect(text).not.toContain('@example.com');
    expect(text).not.toContain('FA+9qCX9VSu');
    expect(text).not.toContain('\n');
  });

  it('adds no WebOTP line when no domain is configured', () => {
    expect(renderMessage({}, PHONE)).not.toContain('\n');
  });

  it('adds the Android app hash to phone messages, before the WebOTP line', () => {
    const text = renderMessage({ appHash: 'FA+9qCX9VSu', webOtpDomain: 'example.com' }, PHONE);
    const lines = text.split('\n');
    expect(lines).toContain('FA+9qCX9VSu');
    expect(lines.indexOf('FA+9qCX9VSu')).toBeLessThan(lines.length - 1);
    expect(lines.at(-1)).toBe('@example.com #123456');
  });

  it('adds the app hash alone when no WebOTP domain is set', () => {
    expect(renderMessage({ appHash: 'FA+9qCX9VSu' }, PHONE).split('\n').at(-1)).toBe('FA+9qCX9VSu');
  });

  it('replaces the body with a custom render, passing it the full context', () => {
    const seen: RenderContext[] = [];
    const text = renderMessage(
      {
        appName: 'Acme',
        render: (context) => {
          seen.push(context);
          return `Tu código de ${context.appName} es ${context.code}`;
        },
      },
      { ...EMAIL, locale: 'es' },
    );
    expect(text).toBe('Tu código de Acme es 123456');
    expect(seen).toEqual([
      {
        code: '123456',
        kind: 'email',
        locale: 'es',
        purpose: 'login',
        minutes: 10,
        appName: 'Acme',
      },
    ]);
  });

  it('keeps the WebOTP line after a custom body on phone messages', () => {
    const text = renderMessage(
      { render: ({ code }) => `Code: ${code}`, webOtpDomain: 'example.com' },
      PHONE,
    );
    expect(text.split('\n')[0]).toBe('Code: 123456');
    expect(text.split('\n').at(-1)).toBe('@example.com #123456');
  });
});

describe('renderMessage with an origin', () => {
  it('ends a phone message with the host of the origin, without its port', () => {
    expect(renderMessage({}, PHONE, 'https://shop.example.com:8443').split('\n').at(-1)).toBe(
      '@shop.example.com #123456',
    );
  });

  it('prefers webOtpDomain, and adds nothing with webOtp false', () => {
    expect(
      renderMessage({ webOtpDomain: 'example.com' }, PHONE, 'https://shop.example.com')
        .split('\n')
        .at(-1),
    ).toBe('@example.com #123456');
    expect(
      renderMessage(
        { webOtp: false, webOtpDomain: 'example.com' },
        PHONE,
        'https://shop.example.com',
      ),
    ).not.toContain('\n');
  });

  it('tells a custom render the host of the line it will append', () => {
    const hosts: (string | undefined)[] = [];
    renderMessage(
      { render: (context) => (hosts.push(context.webOtpHost), context.code) },
      PHONE,
      'https://shop.example.com',
    );
    renderMessage({ render: (context) => (hosts.push(context.webOtpHost), context.code) }, EMAIL);
    expect(hosts).toEqual(['shop.example.com', undefined]);
  });
});
