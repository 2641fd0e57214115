import { describe, expect, it } from 'vitest';
import { renderVoiceTwiml } from './renderVoiceTwiml.js';

const BASE = { code: '408213', locale: 'en', appName: 'Acme', minutes: 10 };

describe('renderVoiceTwiml', () => {
  it('reads the code digit by digit, three times by default', () => {
    const twiml = renderVoiceTwiml(BASE);
    expect(twiml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Response>')).toBe(true);
    expect(twiml.endsWith('</Response>')).toBe(true);
    expect(twiml.split('>4. 0. 8. 2. 1. 3.</Say>')).toHaveLength(4);
    expect(twiml).toContain('<Say language="en-US">Your Acme verification code is</Say>');
    expect(twiml).toContain('Again, your code is');
    expect(twiml).toContain('<Pause length="1"/>');
  });

  it('reads it as many times as asked', () => {
    expect(renderVoiceTwiml({ ...BASE, repeat: 2 }).split('4. 0. 8. 2. 1. 3.')).toHaveLength(3);
  });

  it('speaks the locale, with its TwiML language', () => {
    const twiml = renderVoiceTwiml({ ...BASE, locale: 'es-MX' });
    expect(twiml).toContain('<Say language="es-ES">Tu código de verificación de Acme es</Say>');
    expect(twiml).toContain('Repito, tu código es');
  });

  it('uses the voice and language it is given', () => {
    const twiml = renderVoiceTwiml({ ...BASE, voice: 'Polly.Lupe', language: 'es-US' });
    expect(twiml).toContain('<Say language="es-US" voice="Polly.Lupe">');
  });

  it('escapes text and attributes', () => {
    const twiml = renderVoiceTwiml({ ...BASE, appName: 'R&D <Ops>', voice: '"x' });
    expect(twiml).toContain('Your R&amp;D &lt;Ops&gt; verification code is');
    expect(twiml).toContain('voice="&quot;x"');
    expect(twiml).not.toContain('<Ops>');
  });
});
