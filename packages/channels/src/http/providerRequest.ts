import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointError } from '@checkpoint/core';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter } from './backoff.js';

/** @internal One call to a provider's HTTP API. */
export interface ProviderRequest {
  /** Who is called, for people: `'Twilio SMS'`, `'WhatsApp'`. */
  label: string;
  /** Prefix of `CheckpointError.reasons`: `'twilio'`, `'whatsapp'`. */
  reasonPrefix: string;
  /** The destination, already masked, for error messages. */
  destination: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  /** Per attempt, body included. */
  timeoutMs: number;
  /** Retries after the first attempt, on 429, 5xx and network errors only. */
  retries: number;
  /** @default Math.random */
  random?: () => number;
}

/** @internal The provider's final answer. */
export interface ProviderResponse {
  status: number;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
  /** Attempts made, the first included. */
  attempts: number;
  /** What the provider's last `Retry-After` asked for, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * @internal
 * POSTs to a provider with Node's `fetch`: a timeout per attempt, and bounded retries with
 * exponential backoff and jitter on 429, 5xx and network errors, honouring `Retry-After`.
 *
 * A 4xx is never retried (the same request would be refused again). A timeout is not retried
 * either: the provider may have accepted the message, and a second attempt could deliver the
 * code twice while the user waits for both. Both end as `channel_unavailable`, so the
 * orchestrator moves on to the next channel.
 *
 * Returns the last answer (the caller maps 4xx/5xx bodies to errors); throws
 * `channel_unavailable` when no answer came.
 */
export async function providerRequest(request: ProviderRequest): Promise<ProviderResponse> {
  const { label, reasonPrefix, destination, url, headers, body, timeoutMs, retries } = request;
  const random = request.random ?? Math.random;
  for (let attempt = 0; ; attempt += 1) {
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        throw new CheckpointError(
          'channel_unavailable',
          `${label} did not answer within ${timeoutMs} ms (message to ${destination})`,
          { reasons: [`${reasonPrefix}:timeout`], cause: error },
        );
      }
      if (attempt < retries) {
        await sleep(backoffDelay(attempt, random));
        continue;
      }
      throw new CheckpointError(
        'channel_unavailable',
        `${label} could not be reached after ${attempt + 1} attempt${attempt === 0 ? '' : 's'} (message to ${destination})`,
        { reasons: [`${reasonPrefix}:network`], cause: error },
      );
    }
    const retryAfterMs = parseRetryAfter(retryAfter);
    const answer: ProviderResponse = {
      status,
      json: parseJson(text),
      attempts: attempt + 1,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
    const retryable = status === 429 || status >= 500;
    if (!retryable || attempt >= retries) return answer;
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) return answer;
    await sleep(retryAfterMs ?? backoffDelay(attempt, random));
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
