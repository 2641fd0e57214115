import type { Logger } from '@checkpoint/core';
import { redactText, redactValue } from './redact.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** A pino-shaped logger: pino, bunyan or core's Logger. `child` is used when present. */
export interface PinoLikeLogger {
  debug(...args: never[]): unknown;
  info(...args: never[]): unknown;
  warn(...args: never[]): unknown;
  error(...args: never[]): unknown;
  child?(bindings: Record<string, unknown>): PinoLikeLogger;
}

/** What {@link redactingLogger} returns: core's Logger, pino's call shapes, and `child`. */
export interface RedactingLogger extends Logger {
  debug(fields: Record<string, unknown> | string, message?: string, ...args: unknown[]): void;
  info(fields: Record<string, unknown> | string, message?: string, ...args: unknown[]): void;
  warn(fields: Record<string, unknown> | string, message?: string, ...args: unknown[]): void;
  error(fields: Record<string, unknown> | string, message?: string, ...args: unknown[]): void;
  child(bindings: Record<string, unknown>): RedactingLogger;
}

/**
 * Wraps a pino-compatible logger so nothing identifying leaves through it: email addresses and
 * phone numbers in any string are masked (`j***@e***.com`, `[phone …00]`), a lone six-digit run
 * reads `[redacted]`, fields that hold codes or secrets (`code` with a digit value, `otp`, `pin`,
 * `token`, `password`, …) are dropped, errors keep only name, message and a textual code, and
 * control characters are escaped so user input cannot forge log lines. Checkpoint already logs
 * only masked destinations; this guards what the app logs through the same logger.
 *
 * @example
 * const checkpoint = createCheckpoint({ secret, channels, logger: redactingLogger(pino()) });
 * @see https://owasp.org/www-project-application-security-verification-standard/ (V16.2.5, V16.4.1)
 */
export function redactingLogger(logger: PinoLikeLogger): RedactingLogger {
  if (
    typeof logger !== 'object' ||
    logger === null ||
    (['debug', 'info', 'warn', 'error'] as const).some(
      (level) => typeof logger[level] !== 'function',
    )
  ) {
    throw new TypeError(
      'redactingLogger requires a pino-compatible logger with debug, info, warn and error',
    );
  }
  return wrap(logger, undefined);
}

function wrap(logger: PinoLikeLogger, bound: Record<string, unknown> | undefined): RedactingLogger {
  const method =
    (level: Level) =>
    (fields: Record<string, unknown> | string, message?: string, ...args: unknown[]): void => {
      // Called as a method of `logger`: pino's methods need their own `this`.
      const write = (...values: unknown[]): unknown =>
        (logger[level] as (this: PinoLikeLogger, ...items: unknown[]) => unknown).apply(
          logger,
          values,
        );
      if (typeof fields === 'string') {
        // pino's `logger.info('text %s', arg)` shape.
        const rest = [message, ...args]
          .filter((arg) => arg !== undefined)
          .map((arg) => redactValue(arg));
        if (bound === undefined) write(redactText(fields), ...rest);
        else write(bound, redactText(fields), ...rest);
        return;
      }
      const merged = redactValue(bound === undefined ? fields : { ...bound, ...fields });
      if (message === undefined) write(merged);
      else write(merged, redactText(message), ...args.map((arg) => redactValue(arg)));
    };
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child(bindings) {
      const safe = redactValue(bindings) as Record<string, unknown>;
      // A logger without child() (core's Logger) gets the bindings merged into every call.
      return typeof logger.child === 'function'
        ? wrap(logger.child(safe), undefined)
        : wrap(logger, { ...bound, ...safe });
    },
  };
}
