import { describe, expect, it } from 'vitest';
import { renderEmail } from './renderEmail.js';

const BASE = { code: '550912', locale: 'en', appName: 'Acme', minutes: 10 };

describe('renderEmail', () => {
  it('puts the code in the text and in the HTML, not in the subject', () => {
    const email = renderEmail(BASE);
    expect(email.subject).toBe('Your Acme verification code');
    expect(email.text).toContain('\n    550912\n');
    expect(email.text).toContain('It expires in 10 minutes.');
    expect(email.html).toContain('>550912</p>');
    expect(email.html).toContain('<html lang="en">');
  });

  it('writes Spanish for es', () => {
    const email = renderEmail({ ...BASE, locale: 'es', minutes: 1 });
    expect(email.subject).toBe('Tu código de verificación de Acme');
    expect(email.text).toContain('Caduca en 1 minuto.');
  });

  it('takes a subject that replaces the locale one', () => {
    expect(renderEmail({ ...BASE, subject: 'Sign-in code' }).subject).toBe('Sign-in code');
  });

  it('escapes everything that reaches the HTML', () => {
    const email = renderEmail({ ...BASE, appName: '<img src=x onerror=alert(1)>' });
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.text).toContain('<img src=x onerror=alert(1)>');
  });
});
