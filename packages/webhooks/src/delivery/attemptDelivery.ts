import type { Clock } from '@checkpoint/core';
import type { DeadLetterReason, WebhookDelivery } from '../queue/WebhookQueue.js';
import { secretList, type WebhookSecrets } from '../signing/secrets.js';
import { signWebhook } from '../signing/signWebhook.js';
import type { AddressVerdict } from './addressPolicy.js';
import { postWebhook } from './postWebhook.js';
import {
  EndpointRefused,
  type ResolvedEndpoint,
  resolveEndpoint,
  type WebhookLookup,
} from './resolveEndpoint.js';
import { parseRetryAfter } from './retrySchedule.js';

/** @internal What one attempt came to, and so what happens next. */
export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number }
  | { kind: 'give_up'; reason: DeadLetterReason; error: string };

/** @internal Everything an attempt needs besides the delivery. */
export interface AttemptContext {
  /** The endpoint's current secrets, or undefined when it is no longer configured. */
  secretsFor: (delivery: WebhookDelivery) => Promise<WebhookSecrets | undefined>;
  allowHttp: boolean;
  lookup: WebhookLookup;
  check: (address: string) => AddressVerdict;
  timeoutMs: number;
  ca: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  userAgent: string;
  clock: Clock;
}

/**
 * @internal
 * One attempt: the endpoint's current secrets, its URL checked and resolved once (SSRF rules),
 * a signature for this attempt's timestamp, one POST to the checked address. 2xx is delivered;
 * 410 is gone; refused URLs and missing endpoints or secrets are given up at once; every other
 * failure (3xx included, never followed) is retried.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#delivery-success-and-failure
 */
export async function attemptDelivery(
  delivery: WebhookDelivery,
  context: AttemptContext,
): Promise<AttemptOutcome> {
  const { allowHttp, lookup, check, timeoutMs, ca, userAgent, clock } = context;
  let configured: WebhookSecrets | undefined;
  try {
    configured = await context.secretsFor(delivery);
  } catch (error) {
    // The app's configuration store may be down for a moment.
    return { kind: 'retry', error: `endpoints failed: ${message(error)}` };
  }
  if (configured === undefined) {
    return { kind: 'give_up', reason: 'endpoint_removed', error: 'no longer a tenant endpoint' };
  }
  let secrets: string[];
  try {
    secrets = secretList(configured, 'webhook endpoint');
  } catch (error) {
    return { kind: 'give_up', reason: 'invalid_secret', error: message(error) };
  }

  let target: ResolvedEndpoint;
  try {
    target = await withTimeout(
      resolveEndpoint(delivery.url, { allowHttp, lookup, check }),
      timeoutMs,
    );
  } catch (error) {
    if (error instanceof EndpointRefused) {
      return { kind: 'give_up', reason: 'refused', error: error.message };
    }
    return { kind: 'retry', error: `cannot resolve the endpoint: ${message(error)}` };
  }

  const { webhookId: id, body } = delivery;
  const timestamp = Math.floor(clock.now() / 1_000);
  const result = await postWebhook({
    endpoint: target,
    body,
    timeoutMs,
    ca,
    headers: {
      'user-agent': userAgent,
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({ id, timestamp, body, secrets }),
    },
  });
  if (!result.ok) return { kind: 'retry', error: result.error };
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'gone', status };
  const retryAfterMs = parseRetryAfter(result.retryAfter, clock.now());
  return {
    kind: 'retry',
    status,
    // A redirect is a failure: the endpoint's URL should be updated instead.
    error: status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
