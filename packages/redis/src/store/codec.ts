import { Decoder, Encoder } from '@msgpack/msgpack';
import type {
  DeliveryRecord,
  DeliveryStatus,
  VerificationRecord,
  VerificationStatus,
} from '@checkpoint/core';

/**
 * @internal
 * A verification is stored as one MessagePack array, positions fixed (Lua reads them 1-based:
 * `r[12]` is STATUS + 1). Positional, integer-coded and relative times keep a pending verification
 * well under 400 bytes of Redis memory. Absent optional values are `false` (Lua tables hold no nil).
 */
export const FIELD = {
  VERSION: 0,
  TENANT: 1,
  PURPOSE: 2,
  SUBJECT: 3,
  PHONE: 4,
  COUNTRY: 5,
  CALLING_CODE: 6,
  EMAIL: 7,
  DESTINATION_HASH: 8,
  CHANNELS: 9,
  CHANNEL_INDEX: 10,
  STATUS: 11,
  ATTEMPTS: 12,
  MAX_ATTEMPTS: 13,
  SENDS: 14,
  MAX_SENDS: 15,
  COOLDOWN_SECONDS: 16,
  CODE_LENGTH: 17,
  LOCALE: 18,
  CODE_HASHES: 19,
  FAILURE_LIMIT: 20,
  FAILURE_WINDOW_SECONDS: 21,
  CREATED_AT: 22,
  TTL_MS: 23,
  LAST_SENT_OFFSET_MS: 24,
  DELIVERIES: 25,
  APPROVING: 26,
  FAILURE_LOCK_SECONDS: 27,
  /** Present only when the record has one (older records end before it). */
  NETWORK: 28,
} as const;

/** @internal Verification statuses as stored (index = code). */
export const STATUSES: readonly VerificationStatus[] = [
  'pending',
  'approved',
  'expired',
  'max_attempts',
  'canceled',
];

/** @internal Delivery statuses as stored (index = code); Lua holds the same order and ranks. */
export const DELIVERY_CODES: readonly DeliveryStatus[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'read',
];

const FORMAT_VERSION = 1;
// Reused: building a Decoder per call costs more than decoding a record.
const decoder = new Decoder();
const encoder = new Encoder();

type Packed = unknown[];
type PackedDelivery = [number, string | false, number, number, number, string | false];

/** @internal Encodes a record for Redis. */
export function encodeRecord(record: VerificationRecord): Uint8Array {
  const currentIndex = record.channels.indexOf(record.channel);
  const packed: Packed = [
    FORMAT_VERSION,
    record.tenantId,
    record.purpose,
    record.subject ?? false,
    record.to.phone?.e164 ?? false,
    record.to.phone?.country ?? false,
    record.to.phone?.callingCode ?? false,
    record.to.email ?? false,
    record.destinationHash,
    record.channels,
    currentIndex < 0 ? 0 : currentIndex,
    STATUSES.indexOf(record.status),
    record.attempts,
    record.maxAttempts,
    record.sends,
    record.maxSends,
    record.resendCooldownSeconds,
    record.codeLength,
    record.locale,
    record.codeHashes,
    record.failureLimit,
    record.failureWindowSeconds,
    record.createdAt,
    record.expiresAt - record.createdAt,
    record.lastSentAt - record.createdAt,
    record.deliveries.map((delivery) => encodeDelivery(record, delivery)),
    record.approving ?? false,
    record.failureLockSeconds ?? false,
  ];
  if (record.network !== undefined) packed.push(record.network);
  return encoder.encode(packed);
}

function encodeDelivery(record: VerificationRecord, delivery: DeliveryRecord): PackedDelivery {
  return [
    Math.max(0, record.channels.indexOf(delivery.channel)),
    delivery.providerMessageId ?? false,
    DELIVERY_CODES.indexOf(delivery.status),
    delivery.sentAt - record.createdAt,
    delivery.updatedAt - record.createdAt,
    delivery.errorCode ?? false,
  ];
}

/** @internal Decodes what `encodeRecord` (or a Lua script) stored. */
export function decodeRecord(id: string, bytes: Uint8Array): VerificationRecord {
  const packed = decoder.decode(bytes) as Packed;
  if (!Array.isArray(packed) || packed[FIELD.VERSION] !== FORMAT_VERSION) {
    throw new Error(`unreadable verification record for ${id}`);
  }
  const at = <T>(field: number): T => packed[field] as T;
  const optional = (field: number): string | undefined => {
    const value = packed[field];
    return typeof value === 'string' ? value : undefined;
  };
  // An empty Lua table packs as an empty array; older cmsgpack builds pack it as an empty map.
  const list = <T>(field: number): T[] => {
    const value = packed[field];
    return Array.isArray(value) ? (value as T[]) : [];
  };
  const channels = list<string>(FIELD.CHANNELS);
  const createdAt = at<number>(FIELD.CREATED_AT);
  const phone = optional(FIELD.PHONE);
  const email = optional(FIELD.EMAIL);
  const subject = optional(FIELD.SUBJECT);
  const country = optional(FIELD.COUNTRY);
  const approving = optional(FIELD.APPROVING);
  const lockSeconds = packed[FIELD.FAILURE_LOCK_SECONDS];
  const network = packed[FIELD.NETWORK];
  return {
    id,
    tenantId: at<string>(FIELD.TENANT),
    purpose: at<string>(FIELD.PURPOSE),
    ...(subject === undefined ? {} : { subject }),
    ...(approving === undefined ? {} : { approving }),
    to: {
      ...(phone === undefined
        ? {}
        : { phone: { e164: phone, country, callingCode: optional(FIELD.CALLING_CODE) ?? '' } }),
      ...(email === undefined ? {} : { email }),
    },
    destinationHash: at<string>(FIELD.DESTINATION_HASH),
    channels,
    channel: channels[at<number>(FIELD.CHANNEL_INDEX)] ?? channels[0] ?? '',
    status: STATUSES[at<number>(FIELD.STATUS)] ?? 'canceled',
    attempts: at<number>(FIELD.ATTEMPTS),
    maxAttempts: at<number>(FIELD.MAX_ATTEMPTS),
    sends: at<number>(FIELD.SENDS),
    maxSends: at<number>(FIELD.MAX_SENDS),
    resendCooldownSeconds: at<number>(FIELD.COOLDOWN_SECONDS),
    codeLength: at<number>(FIELD.CODE_LENGTH),
    locale: at<string>(FIELD.LOCALE),
    codeHashes: list<string>(FIELD.CODE_HASHES),
    failureLimit: at<number>(FIELD.FAILURE_LIMIT),
    failureWindowSeconds: at<number>(FIELD.FAILURE_WINDOW_SECONDS),
    ...(typeof lockSeconds === 'number' ? { failureLockSeconds: lockSeconds } : {}),
    ...(typeof network === 'number' ? { network } : {}),
    createdAt,
    expiresAt: createdAt + at<number>(FIELD.TTL_MS),
    lastSentAt: createdAt + at<number>(FIELD.LAST_SENT_OFFSET_MS),
    deliveries: list<PackedDelivery>(FIELD.DELIVERIES).map(
      ([channel, messageId, status, sent, updated, error]) => ({
        channel: channels[channel] ?? '',
        ...(typeof messageId === 'string' ? { providerMessageId: messageId } : {}),
        status: DELIVERY_CODES[status] ?? 'failed',
        sentAt: createdAt + sent,
        updatedAt: createdAt + updated,
        ...(typeof error === 'string' ? { errorCode: error } : {}),
      }),
    ),
  };
}
