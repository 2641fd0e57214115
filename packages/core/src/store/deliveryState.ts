import type { DeliveryStatus } from './Store.js';

const RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  read: 4,
};

/** Delivery statuses after which a message can no longer fail over to `delivered` or back. */
export const FINAL_DELIVERY_STATUSES: ReadonlySet<DeliveryStatus> = new Set([
  'delivered',
  'read',
  'undelivered',
  'failed',
  'canceled',
]);

/**
 * Whether a receipt moves a delivery forward. Receipts arrive at least once and out of order:
 * a late `sent` never undoes `delivered`, a duplicate is not applied twice, and the first final
 * state wins (only `delivered` -> `read` moves on from a final state).
 */
export function advancesDelivery(previous: DeliveryStatus, next: DeliveryStatus): boolean {
  if (previous === next) return false;
  if (FINAL_DELIVERY_STATUSES.has(previous)) return previous === 'delivered' && next === 'read';
  return RANK[next] > RANK[previous];
}

/** All delivery statuses, for input validation. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = Object.keys(RANK) as DeliveryStatus[];
