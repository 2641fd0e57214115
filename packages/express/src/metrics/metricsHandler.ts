import type { Request, RequestHandler, Response } from 'express';
import { handler } from '../http/handler.js';

/** What the handler needs of a prom-client `Registry` (passed as is; no prom-client import here). */
export interface MetricsRegistry {
  /** The exposition format's content type, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * A `GET /metrics` handler serving a prom-client registry in the Prometheus text format, e.g. the
 * one `metricsAuditLog` from @checkpoint/observability fills. The exposition holds no codes,
 * destinations or IPs; still mount it on an internal port or behind the app's own auth, since
 * volumes per purpose and channel are business data.
 *
 * @example
 * const registry = new Registry();
 * const checkpoint = createCheckpoint({ secret, channels, auditLog: metricsAuditLog(auditLog, { registry }) });
 * internalApp.get('/metrics', metricsHandler(registry));
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function metricsHandler(registry: MetricsRegistry): RequestHandler {
  if (
    typeof registry !== 'object' ||
    registry === null ||
    typeof registry.metrics !== 'function' ||
    typeof registry.contentType !== 'string'
  ) {
    throw new TypeError(
      'metricsHandler requires a prom-client Registry, e.g. new Registry() or register',
    );
  }
  return handler(async (_req: Request, res: Response) => {
    const body = await registry.metrics();
    // Scrapes must see current numbers, never a cached page.
    res.set('Cache-Control', 'no-store').type(registry.contentType).send(body);
  });
}
