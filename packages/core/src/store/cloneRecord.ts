import type { VerificationRecord } from './Store.js';

/**
 * @internal
 * A deep copy of a verification record. Written out for the record's known shape: several times
 * faster than `structuredClone`, and MemoryStore copies on every read and write.
 */
export function cloneRecord(record: VerificationRecord): VerificationRecord {
  return {
    ...record,
    to: {
      ...(record.to.phone === undefined ? {} : { phone: { ...record.to.phone } }),
      ...(record.to.email === undefined ? {} : { email: record.to.email }),
    },
    channels: [...record.channels],
    codeHashes: [...record.codeHashes],
    deliveries: record.deliveries.map((delivery) => ({ ...delivery })),
  };
}
