import { describe, expect, it } from 'vitest';
import { MESSAGE_TEMPLATES } from './messageTemplates.js';
import { fill, minutesLeft, templatesFor } from './renderTemplate.js';

describe('templatesFor', () => {
  it('finds a locale exactly, then by its language, then falls back to English', () => {
    expect(templatesFor('es')).toEqual(MESSAGE_TEMPLATES.es);
    expect(templatesFor('es-MX')).toEqual(MESSAGE_TEMPLATES.es);
    expect(templatesFor('ES-mx')).toEqual(MESSAGE_TEMPLATES.es);
    expect(templatesFor('en-GB')).toEqual(MESSAGE_TEMPLATES.en);
    expect(templatesFor('fr')).toEqual(MESSAGE_TEMPLATES.en);
    expect(templatesFor('zz-Latn-XX')).toEqual(MESSAGE_TEMPLATES.en);
  });

  it('lets overrides change a built-in locale field by field', () => {
    const t = templatesFor('es', { es: { smsShort: 'Código {code}' } });
    expect(t.smsShort).toBe('Código {code}');
    expect(t.sms).toBe(MESSAGE_TEMPLATES.es.sms);
  });

  it('adds a locale, with English for the fields it leaves out', () => {
    const t = templatesFor('fr-CA', { fr: { sms: '{code} est votre code {appName}.' } });
    expect(t.sms).toBe('{code} est votre code {appName}.');
    expect(t.voice).toEqual(MESSAGE_TEMPLATES.en.voice);
  });
});

describe('fill', () => {
  const values = { code: '042917', appName: 'Acme', minutes: 10 };

  it('fills the code, the app name and the minutes with their unit', () => {
    expect(fill(MESSAGE_TEMPLATES.en.sms, values, MESSAGE_TEMPLATES.en.minute)).toBe(
      '042917 is your Acme verification code. It expires in 10 minutes. Do not share it.',
    );
    expect(fill('{minutes}', { ...values, minutes: 1 }, MESSAGE_TEMPLATES.es.minute)).toBe(
      '1 minuto',
    );
  });

  it('leaves unknown braces alone and never evaluates values as placeholders', () => {
    expect(fill('{code} {other}', { ...values, code: '{appName}' }, ['m', 'ms'])).toBe(
      '{appName} {other}',
    );
  });
});

describe('minutesLeft', () => {
  it('rounds up and never says less than one minute', () => {
    expect(minutesLeft(600_000, 0)).toBe(10);
    expect(minutesLeft(540_001, 0)).toBe(10);
    expect(minutesLeft(1_000, 0)).toBe(1);
    expect(minutesLeft(0, 5_000)).toBe(1);
  });
});
