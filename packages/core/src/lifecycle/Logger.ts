/**
 * The logger Checkpoint writes to: pino's method shape (`logger.info(obj, msg)`), so a pino or
 * bunyan instance can be passed as is. Checkpoint never logs codes, and logs destinations masked.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
