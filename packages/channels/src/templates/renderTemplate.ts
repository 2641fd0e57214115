import { type LocaleTemplates, MESSAGE_TEMPLATES } from './messageTemplates.js';

/** Per-locale overrides: a locale's fields replace the built-in ones; a new locale falls back to English for missing fields. */
export type TemplateOverrides = Readonly<Record<string, Partial<LocaleTemplates>>>;

/** @internal Values the placeholders take. */
export interface TemplateValues {
  code: string;
  appName: string;
  minutes: number;
  approving?: string;
}

const PLACEHOLDER = /\{(code|appName|minutes|approving)\}/g;

/**
 * @internal
 * The templates for `locale`: an exact match, then its language (`es-MX` -> `es`), then `en`.
 * Tags compare case-insensitively.
 */
export function templatesFor(locale: string, overrides: TemplateOverrides = {}): LocaleTemplates {
  const builtIn: Readonly<Record<string, LocaleTemplates>> = MESSAGE_TEMPLATES;
  const known = new Set([...Object.keys(builtIn), ...Object.keys(overrides)]);
  const find = (tag: string) => [...known].find((key) => key.toLowerCase() === tag.toLowerCase());
  const key = find(locale) ?? find(locale.split('-')[0] ?? '') ?? 'en';
  return { ...(builtIn[key] ?? MESSAGE_TEMPLATES.en), ...overrides[key] };
}

/** @internal Fills `{code}`, `{appName}`, `{minutes}` and `{approving}`. */
export function fill(
  template: string,
  values: TemplateValues,
  minute: LocaleTemplates['minute'],
): string {
  const text: Record<string, string> = {
    code: values.code,
    appName: values.appName,
    minutes: `${values.minutes} ${values.minutes === 1 ? minute[0] : minute[1]}`,
    approving: values.approving ?? '',
  };
  return template.replace(PLACEHOLDER, (_, name: string) => text[name] ?? '');
}

/** @internal Whole minutes left until `expiresAt`, at least 1 (as core counts them). */
export function minutesLeft(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil((expiresAt - now) / 60_000));
}
