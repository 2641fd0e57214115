import { escapeMarkup } from './escape.js';
import { fill, type TemplateOverrides, templatesFor } from './renderTemplate.js';

/** Input of {@link renderEmail}. */
export interface EmailInput {
  code: string;
  locale: string;
  appName: string;
  minutes: number;
  /** Replaces the locale's subject. */
  subject?: string;
  templates?: TemplateOverrides;
}

/** A rendered email: subject, plain-text part and HTML part. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The subject, text and HTML of a code email in the locale's words. The HTML is self-contained
 * (no images, no links) and every value in it is escaped.
 *
 * @example
 * const { subject, text, html } = renderEmail({ code: '123456', locale: 'es', appName: 'Acme', minutes: 10 });
 */
export function renderEmail({
  code,
  locale,
  appName,
  minutes,
  subject,
  templates,
}: EmailInput): EmailContent {
  const t = templatesFor(locale, templates);
  const values = { code, appName, minutes };
  const intro = fill(t.email.intro, values, t.minute);
  const outro = fill(t.email.outro, values, t.minute);
  const lang = escapeMarkup(locale);
  return {
    subject: subject ?? fill(t.email.subject, values, t.minute),
    text: `${intro}\n\n    ${code}\n\n${outro}\n`,
    html:
      `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeMarkup(appName)}</title></head>` +
      '<body style="font-family:sans-serif;color:#111">' +
      `<p>${escapeMarkup(intro)}</p>` +
      `<p style="font-size:28px;font-weight:bold;letter-spacing:4px;font-family:monospace">${escapeMarkup(code)}</p>` +
      `<p>${escapeMarkup(outro)}</p>` +
      '</body></html>',
  };
}
