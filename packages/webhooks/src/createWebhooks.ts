import { createHash } from 'node:crypto';
import { CheckpointError, type Clock, systemClock } from '@checkpoint/core';
import { toWebhookEvent, webhookIdFor } from './events/toWebhookEvent.js';
import { addressPolicy } from './delivery/addressPolicy.js';
import { type AttemptContext, attemptDelivery } from './delivery/attemptDelivery.js';
import { systemLookup, type WebhookLookup } from './delivery/resolveEndpoint.js';
import { DEFAULT_RETRY_SCHEDULE, retryDelay } from './delivery/retrySchedule.js';
import { MemoryWebhookQueue } from './queue/MemoryWebhookQueue.js';
import type { DeadLetterReason, WebhookDelivery, WebhookQueue } from './queue/WebhookQueue.js';
import type { WebhookAttemptReport, WebhookEndpointConfig, Webhooks } from './Webhooks.js';

/** Options of {@link createWebhooks}. */
export interface WebhooksOptions {
  /**
   * A tenant's endpoints with their secrets. Called for every event and every attempt (so a
   * rotated secret or a removed endpoint takes effect at once): keep it cheap.
   */
  endpoints: (
    tenantId: string,
  ) => Promise<readonly WebhookEndpointConfig[]> | readonly WebhookEndpointConfig[];
  /** Where deliveries wait and dead letters are kept. @default new MemoryWebhookQueue({ clock }) */
  queue?: WebhookQueue;
  /** Milliseconds before each retry after the first attempt. @default DEFAULT_RETRY_SCHEDULE (5 s … 24 h, 10 attempts) */
  retrySchedule?: readonly number[];
  /** Random spread of each retry delay, as a fraction (0.2 = ±20 %). @default 0.2 */
  jitter?: number;
  /** An attempt fails when no response status arrives within this. @default 15_000 */
  timeoutMs?: number;
  /** Accept `http:` endpoint URLs (tests, local development). @default false */
  allowHttp?: boolean;
  /** Let endpoints reach loopback, private, CGNAT, link-local and unique-local addresses. @default false */
  allowPrivateNetworks?: boolean;
  /** Addresses or CIDR ranges allowed although not public. @default [] */
  allowedAddresses?: readonly string[];
  /** Resolves endpoint hostnames. @default dns.promises.lookup(hostname, { all: true }) */
  lookup?: WebhookLookup;
  /** Extra trusted CA certificates (PEM) for https endpoints, e.g. an internal CA. @default Node's */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** @default 'Checkpoint-Webhooks/0.1' */
  userAgent?: string;
  /** Time for `webhook-timestamp` and dead letters. @default systemClock */
  clock?: Clock;
  /** Uniform [0, 1) source for jitter. @default Math.random */
  random?: () => number;
  /** Called after every attempt. @default none */
  onAttempt?: (report: WebhookAttemptReport) => void;
}

/**
 * Sends Checkpoint's lifecycle events to each tenant's endpoints as Standard Webhooks: signed
 * (HMAC-SHA256, every secret of a rotation), retried with backoff and jitter, dead-lettered after
 * the last attempt, an endpoint disabled by 410, redirects never followed, and no request to a
 * loopback, private or link-local address (checked on the address actually connected to).
 *
 * @example
 * const webhooks = createWebhooks({
 *   endpoints: async (tenantId) =>
 *     (await checkpoint.config(tenantId)).webhooks.map((endpoint) => ({
 *       ...endpoint,
 *       secret: secrets.get(`${tenantId} ${endpoint.url}`), // 'whsec_…', kept outside the tenant config
 *     })),
 * });
 * const checkpoint = createCheckpoint({ secret, channels, auditLog: webhookAuditLog(new MemoryAuditLog(), webhooks) });
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export function createWebhooks(options: WebhooksOptions): Webhooks {
  if (typeof options?.endpoints !== 'function') {
    throw new TypeError(
      'createWebhooks requires an endpoints function: { endpoints: async (tenantId) => [{ url, secret }] }',
    );
  }
  const {
    endpoints,
    clock = systemClock,
    queue = new MemoryWebhookQueue({ clock }),
    retrySchedule = DEFAULT_RETRY_SCHEDULE,
    jitter = 0.2,
    timeoutMs = 15_000,
    allowHttp = false,
    allowPrivateNetworks = false,
    allowedAddresses = [],
    lookup = systemLookup,
    ca,
    userAgent = 'Checkpoint-Webhooks/0.1',
    random = Math.random,
    onAttempt,
  } = options;
  if (!Array.isArray(retrySchedule) || retrySchedule.some((d) => !Number.isFinite(d) || d < 0)) {
    throw new TypeError('createWebhooks: retrySchedule must be a list of delays in ms (>= 0)');
  }
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) {
    throw new TypeError('createWebhooks: jitter must be a fraction from 0 to 1');
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError('createWebhooks: timeoutMs must be a positive number of milliseconds');
  }
  const maxAttempts = retrySchedule.length + 1;

  async function endpointsOf(tenantId: string): Promise<WebhookEndpointConfig[]> {
    const list = await endpoints(tenantId);
    const seen = new Set<string>();
    return list.filter((endpoint) => !seen.has(endpoint.url) && seen.add(endpoint.url));
  }

  const context: AttemptContext = {
    secretsFor: async ({ tenantId, url }) =>
      (await endpointsOf(tenantId)).find((endpoint) => endpoint.url === url)?.secret,
    allowHttp,
    lookup,
    check: addressPolicy({ allowPrivateNetworks, allowedAddresses }),
    timeoutMs,
    ca,
    userAgent,
    clock,
  };

  async function run(delivery: WebhookDelivery): Promise<void> {
    const number = delivery.attempt + 1;
    const report = (
      fields: Partial<WebhookAttemptReport> & Pick<WebhookAttemptReport, 'outcome'>,
    ): void => {
      onAttempt?.({
        deliveryId: delivery.id,
        webhookId: delivery.webhookId,
        tenantId: delivery.tenantId,
        url: delivery.url,
        type: delivery.type,
        attempt: number,
        ...fields,
      });
    };
    if (await queue.isDisabled(delivery.url)) {
      report({ outcome: 'skipped' });
      return;
    }
    const outcome = await attemptDelivery(delivery, context);
    switch (outcome.kind) {
      case 'delivered':
        report({ outcome: 'delivered', status: outcome.status });
        return;
      case 'gone':
        await queue.setDisabled(delivery.url, true);
        await bury(delivery, number, 'gone', {
          status: outcome.status,
          error: 'HTTP 410 Gone: endpoint disabled',
        });
        report({ outcome: 'disabled', status: outcome.status });
        return;
      case 'give_up':
        await bury(delivery, number, outcome.reason, { error: outcome.error });
        report({ outcome: 'dead_letter', reason: outcome.reason, error: outcome.error });
        return;
      case 'retry': {
        const fields = {
          ...(outcome.status === undefined ? {} : { status: outcome.status }),
          error: outcome.error,
        };
        if (number >= maxAttempts) {
          await bury(delivery, number, 'retries_exhausted', fields);
          report({ outcome: 'dead_letter', reason: 'retries_exhausted', ...fields });
          return;
        }
        const delay = retryDelay(retrySchedule, number - 1, {
          jitter,
          random,
          retryAfterMs: outcome.retryAfterMs,
        });
        await queue.add(
          {
            ...withoutLast(delivery),
            attempt: number,
            ...(outcome.status === undefined ? {} : { lastStatus: outcome.status }),
            lastError: outcome.error,
          },
          delay,
        );
        report({ outcome: 'retry', retryInMs: delay, ...fields });
        return;
      }
    }
  }

  async function bury(
    delivery: WebhookDelivery,
    attempts: number,
    reason: DeadLetterReason,
    { status, error }: { status?: number; error: string },
  ): Promise<void> {
    await queue.addDeadLetter({
      id: delivery.id,
      webhookId: delivery.webhookId,
      tenantId: delivery.tenantId,
      url: delivery.url,
      type: delivery.type,
      body: delivery.body,
      attempts,
      replays: delivery.replays,
      createdAt: delivery.createdAt,
      failedAt: clock.now(),
      reason,
      ...(status === undefined ? {} : { status }),
      error,
    });
  }

  queue.start(run);

  return {
    async publish(event) {
      const payload = toWebhookEvent(event);
      if (payload === undefined) return 0;
      const webhookId = webhookIdFor(event.id);
      const body = JSON.stringify(payload);
      let queued = 0;
      for (const endpoint of await endpointsOf(event.tenantId)) {
        if (endpoint.events !== undefined && !endpoint.events.includes(payload.type)) continue;
        if (await queue.isDisabled(endpoint.url)) continue;
        await queue.add(
          {
            id: deliveryId(webhookId, endpoint.url),
            webhookId,
            tenantId: event.tenantId,
            url: endpoint.url,
            type: payload.type,
            body,
            attempt: 0,
            replays: 0,
            createdAt: clock.now(),
          },
          0,
        );
        queued += 1;
      }
      return queued;
    },

    deadLetters: (query) => queue.deadLetters(query),

    async replay(id) {
      const letter = await queue.takeDeadLetter(id);
      if (letter === null) throw new CheckpointError('not_found', `no dead letter ${id}`);
      if (await queue.isDisabled(letter.url)) {
        await queue.addDeadLetter(letter);
        throw new CheckpointError(
          'invalid_request',
          `the endpoint is disabled (it answered 410): enable(url) before replaying ${id}`,
        );
      }
      const delivery: WebhookDelivery = {
        id: letter.id,
        webhookId: letter.webhookId,
        tenantId: letter.tenantId,
        url: letter.url,
        type: letter.type,
        body: letter.body,
        attempt: 0,
        replays: letter.replays + 1,
        createdAt: clock.now(),
      };
      try {
        await queue.add(delivery, 0);
      } catch (error) {
        // Not queued: file it again rather than lose it.
        await queue.addDeadLetter(letter).catch(() => {});
        throw error;
      }
    },

    enable: (url) => queue.setDisabled(url, false),
    isDisabled: (url) => queue.isDisabled(url),
    close: () => queue.close(),
  };
}

/** The same message to the same endpoint always gets the same delivery id. */
function deliveryId(webhookId: string, url: string): string {
  return `whd_${createHash('sha256').update(`${webhookId}\n${url}`).digest('base64url').slice(0, 22)}`;
}

function withoutLast({ lastStatus: _s, lastError: _e, ...rest }: WebhookDelivery): WebhookDelivery {
  return rest;
}
