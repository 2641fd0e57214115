/**
 * The words of one locale. Placeholders: `{code}`, `{appName}`, `{minutes}` (already with its
 * unit, "10 minutes") and, in `smsApproving`, `{approving}`.
 */
export interface LocaleTemplates {
  /** SMS body. Core's renderer adds the Android app hash and the WebOTP line after it. */
  sms: string;
  /** SMS body for an action-bound step-up (`send({ approving })`). */
  smsApproving: string;
  /** The shortest SMS body, used when an SMS Retriever message would pass 140 bytes otherwise. */
  smsShort: string;
  /** The unit of `{minutes}`: singular, plural. */
  minute: readonly [one: string, other: string];
  /** What the voice call says; `language` is TwiML's `<Say language>`. */
  voice: {
    language: string;
    intro: string;
    again: string;
    outro: string;
  };
  /** Email subject and the paragraphs before and after the code. */
  email: {
    subject: string;
    intro: string;
    outro: string;
  };
}

/**
 * The built-in texts: English (`en`, the fallback for any other locale) and Spanish (`es`).
 * Data only; pass `templates` to a channel or to {@link localizedMessages} to change or add locales.
 *
 * @example
 * localizedMessages({ templates: { fr: { ...MESSAGE_TEMPLATES.en, sms: '{code} est votre code {appName}.' } } })
 */
export const MESSAGE_TEMPLATES: Readonly<Record<'en' | 'es', LocaleTemplates>> = {
  en: {
    sms: '{code} is your {appName} verification code. It expires in {minutes}. Do not share it.',
    smsApproving:
      '{code} approves {approving} in {appName}. It expires in {minutes}. Do not share it.',
    smsShort: '{code} is your {appName} code.',
    minute: ['minute', 'minutes'],
    voice: {
      language: 'en-US',
      intro: 'Your {appName} verification code is',
      again: 'Again, your code is',
      outro: 'Goodbye.',
    },
    email: {
      subject: 'Your {appName} verification code',
      intro: 'Your {appName} verification code is:',
      outro:
        'It expires in {minutes}. If you did not ask for it, ignore this email. Never share this code with anyone.',
    },
  },
  es: {
    sms: '{code} es tu código de verificación de {appName}. Caduca en {minutes}. No lo compartas.',
    smsApproving: '{code} aprueba {approving} en {appName}. Caduca en {minutes}. No lo compartas.',
    smsShort: '{code} es tu código de {appName}.',
    minute: ['minuto', 'minutos'],
    voice: {
      language: 'es-ES',
      intro: 'Tu código de verificación de {appName} es',
      again: 'Repito, tu código es',
      outro: 'Adiós.',
    },
    email: {
      subject: 'Tu código de verificación de {appName}',
      intro: 'Tu código de verificación de {appName} es:',
      outro:
        'Caduca en {minutes}. Si no lo has pedido, ignora este correo. No compartas este código con nadie.',
    },
  },
};
