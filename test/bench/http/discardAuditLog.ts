import type { AuditLog } from '@checkpoint/core';

/**
 * An audit log that keeps nothing. Core's default, MemoryAuditLog, keeps every event for the
 * life of the process: over a bench's hundred thousand requests the server thread's heap grows
 * and its GC slows later rounds (the ratio drifts down round by round). Audit storage is not what
 * the HTTP bench measures; building each event still is.
 */
export const discardAuditLog: AuditLog = {
  append: async () => undefined,
  byVerification: async () => [],
  query: async function* () {},
};
