import type { RequestContext } from '../../audit/AuditEvent.js';
import type { TenantConfig } from '../../config/TenantConfig.js';
import {
  type Destination,
  normalizeDestination,
  primaryDestination,
} from '../../destination/normalizeDestination.js';
import { CheckpointError, invalidRequest } from '../../errors/CheckpointError.js';
import type { GuardInput } from '../SendGuard.js';
import {
  asObject,
  parseApproving,
  parseChannelNames,
  parseContext,
  parseLocale,
  parseOrigin,
  parsePurpose,
  parseSubject,
  parseTenantId,
} from '../parseInput.js';
import { type Runtime, recordEvent, tenantConfig } from '../runtime.js';

/** @internal A send that passed validation: its input, normalised, and the tenant's config. */
export interface SendRequest {
  runtime: Runtime;
  tenantId: string;
  purpose: string;
  subject: string | undefined;
  approving: string | undefined;
  requestedChannels: string[] | undefined;
  locale: string | undefined;
  origin: string | undefined;
  context: RequestContext;
  config: TenantConfig;
  destination: Destination;
  /** Keyed hash of the primary destination (the phone when there is one). */
  destinationHash: string;
  now: number;
  /** Audits the refusal (`verification.blocked`, with the destination) and throws it. */
  refuse(error: CheckpointError): Promise<never>;
  /** What a guard is shown. */
  guardInput(): GuardInput;
}

/**
 * @internal
 * Step 1, validation: reads the input (bad fields are `invalid_request`), the tenant's config,
 * and normalises the destination (an unusable number is `invalid_number`, audited).
 */
export async function readSendRequest(runtime: Runtime, raw: unknown): Promise<SendRequest> {
  const input = asObject(raw, 'send input');
  const purpose = parsePurpose(input.purpose);
  const tenantId = parseTenantId(input.tenantId);
  const subject = parseSubject(input.subject);
  const requestedChannels = parseChannelNames(input.channels);
  const locale = parseLocale(input.locale);
  const context = parseContext(input.context);
  const approving = parseApproving(input.approving);
  const origin = parseOrigin(input.origin);
  if (input.to === undefined)
    throw invalidRequest('`to` is required: a phone number or an email address');
  const config = await tenantConfig(runtime, tenantId);
  const blocked = { type: 'verification.blocked', tenantId, purpose, context } as const;

  let destination: Destination;
  try {
    destination = normalizeDestination(input.to, config.defaultCountry);
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'invalid_number')
      return rethrow(runtime, blocked, error, undefined);
    throw error;
  }
  const primary = primaryDestination(destination);
  const destinationHash = runtime.keyring.destinationHash(primary.value);
  const audited = {
    kind: primary.kind,
    hash: destinationHash,
    masked: primary.masked,
    ...(destination.phone?.country === undefined ? {} : { country: destination.phone.country }),
  };
  const now = runtime.clock.now();
  let shown: GuardInput | undefined;
  return {
    runtime,
    tenantId,
    purpose,
    subject,
    approving,
    requestedChannels,
    locale,
    origin,
    context,
    config,
    destination,
    destinationHash,
    now,
    refuse: (error) => rethrow(runtime, blocked, error, audited),
    guardInput() {
      shown ??= {
        tenantId,
        purpose,
        destination,
        destinationHash,
        context,
        config,
        lookup: undefined,
        now,
      };
      return shown;
    },
  };
}

/** Audits a refused send and throws the refusal, carrying the audit event's id. */
async function rethrow(
  runtime: Runtime,
  blocked: {
    type: 'verification.blocked';
    tenantId: string;
    purpose: string;
    context: RequestContext;
  },
  error: CheckpointError,
  destination: Parameters<typeof recordEvent>[1]['destination'],
): Promise<never> {
  const auditEventId = await recordEvent(runtime, {
    ...blocked,
    result: error.code,
    reasons: error.reasons.length > 0 ? [...error.reasons] : [error.code],
    ...(destination === undefined ? {} : { destination }),
  });
  throw new CheckpointError(error.code, error.message, {
    reasons: error.reasons,
    auditEventId,
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  });
}
