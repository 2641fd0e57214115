import type { HttpReply } from './startHttpServer.js';

/**
 * A scripted answer of a fake provider, consumed by the next API request. Named faults answer
 * with the provider's documented error bodies (a 500, a 503, an invalid-number 400, a 401, a
 * non-retryable 400, a 429); `'timeout'` never answers; an `HttpReply` is sent as given.
 */
export type FakeFault =
  | 'server_error'
  | 'unavailable'
  | 'timeout'
  | 'invalid_number'
  | 'not_mobile'
  | 'unauthorized'
  | 'bad_request'
  | 'rate_limited'
  | HttpReply;
