import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointError } from '@checkpoint/core';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../http/backoff.js';

/** @internal A provider's answer to a GET. */
export interface LookupResponse {
  status: number;
  json: unknown;
  attempts: number;
}

/**
 * @internal
 * GETs a lookup resource: a timeout per attempt, bounded retries with backoff and jitter on 429,
 * 5xx and network errors (a GET has no side effect to repeat), none after a timeout (the send
 * waiting on it should not wait twice). Throws `channel_unavailable` when no answer came.
 */
export async function lookupRequest(input: {
  label: string;
  destination: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  retries: number;
  random?: () => number;
}): Promise<LookupResponse> {
  const { label, destination, url, headers, timeoutMs, retries, random = Math.random } = input;
  for (let attempt = 0; ; attempt += 1) {
    let status: number;
    let body: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      if (!timedOut && attempt < retries) {
        await sleep(backoffDelay(attempt, random));
        continue;
      }
      throw new CheckpointError(
        'channel_unavailable',
        timedOut
          ? `${label} did not answer within ${timeoutMs} ms (lookup of ${destination})`
          : `${label} could not be reached (lookup of ${destination})`,
        { reasons: [`twilio:${timedOut ? 'timeout' : 'network'}`], cause: error },
      );
    }
    const retryable = status === 429 || status >= 500;
    const waitMs = parseRetryAfter(retryAfter);
    if (!retryable || attempt >= retries || (waitMs ?? 0) > MAX_RETRY_AFTER_MS) {
      return { status, json: parse(body), attempts: attempt + 1 };
    }
    await sleep(waitMs ?? backoffDelay(attempt, random));
  }
}

function parse(text: string): unknown {
  try {
    return text.length === 0 ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
