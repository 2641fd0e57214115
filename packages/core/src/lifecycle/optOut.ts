import { normalizeDestination, primaryDestination } from '../destination/normalizeDestination.js';
import { invalidRequest } from '../errors/CheckpointError.js';
import { asObject, parseTenantId } from './parseInput.js';
import { type Runtime, recordEvent, storeCall, tenantConfig } from './runtime.js';

/** Input of `checkpoint.optOut()`. */
export interface OptOutRequest {
  /** The phone number that sent the keyword (E.164, or national in the tenant's default country). */
  to: string;
  /** @default 'default' */
  tenantId?: string;
  /** The medium opted out of. @default 'sms' */
  medium?: 'sms' | 'voice' | 'whatsapp';
  /** true: STOP (no more messages on that medium); false: START (lift it). */
  optedOut: boolean;
  /** What said so, for the audit trail: e.g. `twilio:STOP`. */
  source?: string;
}

/** Result of `checkpoint.optOut()`. */
export interface OptOutResult {
  /** False when the number was already in that state. */
  changed: boolean;
  /** The audit event recording the change; absent when nothing changed. */
  auditEventId?: string;
}

const MEDIA = new Set(['sms', 'voice', 'whatsapp']);

/**
 * @internal
 * Records a carrier keyword for a number: STOP puts it on the tenant's opt-out list for a medium
 * (its sends then skip channels of that medium, or fail with `channel_unavailable`, reason
 * `opted_out`), START takes it off. Every change is audited with the masked number.
 */
export async function optOut(runtime: Runtime, raw: unknown): Promise<OptOutResult> {
  const input = asObject(raw, 'optOut input');
  const tenantId = parseTenantId(input.tenantId);
  if (typeof input.optedOut !== 'boolean') {
    throw invalidRequest('`optedOut` must be true (STOP) or false (START)');
  }
  const medium = input.medium ?? 'sms';
  if (typeof medium !== 'string' || !MEDIA.has(medium)) {
    throw invalidRequest("`medium` must be 'sms', 'voice' or 'whatsapp'");
  }
  if (
    input.source !== undefined &&
    (typeof input.source !== 'string' || input.source.length > 64)
  ) {
    throw invalidRequest('`source` must be a string of at most 64 characters');
  }
  const config = await tenantConfig(runtime, tenantId);
  const phone = phoneOf(input.to, config.defaultCountry);
  const destinationHash = runtime.keyring.destinationHash(phone.e164);
  const changed = await storeCall(runtime, 'setOptOut', () =>
    runtime.store.setOptOut({
      tenantId,
      destinationHash,
      medium,
      optedOut: input.optedOut as boolean,
    }),
  );
  if (!changed) return { changed };
  const auditEventId = await recordEvent(runtime, {
    type: input.optedOut === true ? 'destination.opted_out' : 'destination.opted_in',
    tenantId,
    channel: medium,
    destination: {
      kind: 'phone',
      hash: destinationHash,
      masked: phone.masked,
      ...(phone.country === undefined ? {} : { country: phone.country }),
    },
    result: input.optedOut === true ? 'opted_out' : 'opted_in',
    ...(input.source === undefined ? {} : { reasons: [input.source] }),
  });
  return { changed, auditEventId };
}

/** @internal The media a number opted out of for a tenant. */
export async function optOuts(
  runtime: Runtime,
  to: unknown,
  tenantIdInput?: unknown,
): Promise<string[]> {
  const tenantId = parseTenantId(tenantIdInput);
  const config = await tenantConfig(runtime, tenantId);
  const phone = phoneOf(to, config.defaultCountry);
  return storeCall(runtime, 'optOuts', () =>
    runtime.store.optOuts(tenantId, runtime.keyring.destinationHash(phone.e164)),
  );
}

function phoneOf(to: unknown, defaultCountry: string | undefined) {
  if (typeof to !== 'string') throw invalidRequest('`to` must be a phone number');
  const destination = normalizeDestination(to, defaultCountry);
  const { phone } = destination;
  if (phone === undefined) throw invalidRequest('`to` must be a phone number');
  return { ...phone, masked: primaryDestination({ phone }).masked };
}
