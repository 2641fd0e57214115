import type { Runtime } from '../lifecycle/runtime.js';
import type { TallyOp, VerificationRecord } from '../store/Store.js';
import { isStateful } from './GuardHost.js';

/**
 * @internal
 * Adds an approval to the counters of the checkpoint's stateful guards (conversion), in one
 * store call, awaited. The approval is already decided and stored when this runs, so a store
 * failure here is logged at error level and never turns the approval into an error: a lost
 * approval can only make the conversion guard stricter, never laxer.
 */
export async function countApproval(
  runtime: Runtime,
  record: VerificationRecord,
  now: number,
): Promise<void> {
  try {
    const tallies: TallyOp[] = [];
    for (const guard of runtime.guards) {
      if (isStateful(guard) && guard.approvalTallies !== undefined)
        tallies.push(...guard.approvalTallies(record));
    }
    if (tallies.length > 0) await runtime.store.hitCounters([], now, { tallies });
  } catch (error) {
    runtime.logger.error(
      {
        err: error instanceof Error ? error.message : String(error),
        verificationId: record.id,
      },
      'checkpoint could not count an approval for the conversion guard',
    );
  }
}
