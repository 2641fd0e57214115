import { CheckpointError } from '@checkpoint/core';
import type { ProviderResponse } from './providerRequest.js';

/** @internal What a provider's error body said, as far as it can be read. */
export interface ProviderFault {
  /** The provider's numeric error code, e.g. Twilio's 21211 or Meta's 131026. */
  code?: number;
}

/**
 * @internal
 * `channel_unavailable` for a provider answer that is not a success and not a bad number:
 * says which provider and why (never a secret, the destination masked), and carries the
 * provider's error code and the HTTP status in `reasons`.
 */
export function unavailableFromResponse(
  label: string,
  provider: { name: string; reasonPrefix: string },
  destination: string,
  response: ProviderResponse,
  fault: ProviderFault,
): CheckpointError {
  const { status, attempts, retryAfterMs } = response;
  const codeText = fault.code === undefined ? '' : `, ${provider.name} error ${fault.code}`;
  const why =
    status === 401 || status === 403
      ? `${provider.name} refused the credentials (HTTP ${status}${codeText})`
      : status === 429
        ? `${provider.name} is rate limiting requests (HTTP 429${codeText})`
        : status >= 500
          ? `${provider.name} failed (HTTP ${status}${codeText}) on ${attempts} attempt${attempts === 1 ? '' : 's'}`
          : status >= 300 && status < 400
            ? `${provider.name} answered with an unexpected redirect (HTTP ${status})`
            : status >= 200 && status < 300
              ? `${provider.name} answered without a message id (HTTP ${status})`
              : `${provider.name} refused the request (HTTP ${status}${codeText})`;
  return new CheckpointError(
    'channel_unavailable',
    `${label} could not send to ${destination}: ${why}`,
    {
      reasons: reasonsOf(provider.reasonPrefix, response, fault),
      ...(status === 429 && retryAfterMs !== undefined ? { retryAfter: retryAfterMs / 1_000 } : {}),
    },
  );
}

/** @internal `['twilio:21211', 'http:400']`: the provider's code first, then the HTTP status. */
export function reasonsOf(
  prefix: string,
  response: ProviderResponse,
  fault: ProviderFault,
): string[] {
  return [
    ...(fault.code === undefined ? [] : [`${prefix}:${fault.code}`]),
    `http:${response.status}`,
  ];
}

/** @internal A plain-object view of a JSON value, or an empty one. */
export function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
