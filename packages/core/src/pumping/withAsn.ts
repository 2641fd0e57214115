import type { Logger } from '../lifecycle/Logger.js';
import type { AsnResolver } from './asnResolver.js';

/**
 * @internal
 * Fills `context.asn` of a send or resend input from `context.ip` through the app's resolver,
 * when the input names an IP and no ASN. Anything it cannot read is passed on untouched for the
 * lifecycle's own validation; a resolver failure is logged and leaves the ASN unknown.
 */
export function withAsn(
  resolver: AsnResolver | undefined,
  logger: Logger,
): <T>(input: T) => Promise<T> {
  if (resolver === undefined) return async (input) => input;
  if (typeof resolver.resolve !== 'function') {
    throw new TypeError('createCheckpoint: `asnResolver` must be an object with resolve(ip)');
  }
  return async (input) => {
    if (typeof input !== 'object' || input === null) return input;
    const context = (input as { context?: unknown }).context;
    if (typeof context !== 'object' || context === null) return input;
    const { ip, asn } = context as { ip?: unknown; asn?: unknown };
    if (typeof ip !== 'string' || asn !== undefined) return input;
    let resolved: number | undefined;
    try {
      resolved = await resolver.resolve(ip);
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'checkpoint ASN resolver failed',
      );
      return input;
    }
    if (resolved === undefined) return input;
    return { ...input, context: { ...context, asn: resolved } };
  };
}
