import type { Runtime } from '../lifecycle/runtime.js';
import type { TallyOp, VerificationRecord } from '../store/Store.js';
import { isStateful } from './GuardHost.js';

/**
 * @internal
 * Approvals waiting to be counted for the conversion guard. An approving check hands its record
 * here and answers at once; the approvals of a turn of the event loop are merged by tally bucket
 * and go to the Store with the next send's own store step (no round trip of their own), or in one
 * call of their own on the next turn, whichever comes first. An approval is already decided and
 * stored when it is queued, so a store failure here is logged at error level and never turns it
 * into an error: a lost approval can only make the conversion guard stricter, never laxer.
 */
export class ApprovalTallies {
  private readonly pending = new Map<string, TallyOp>();
  private readonly flushes = new Set<Promise<void>>();
  private scheduled = false;

  constructor(private readonly runtime: Pick<Runtime, 'guards' | 'store' | 'clock' | 'logger'>) {}

  /** Queues the approval of `record` in the tallies of the checkpoint's stateful guards. */
  add(record: VerificationRecord): void {
    for (const guard of this.runtime.guards) {
      if (!isStateful(guard) || guard.approvalTallies === undefined) continue;
      for (const op of guard.approvalTallies(record)) {
        if (op.add === undefined) continue;
        const bucket = Math.floor(op.add.at / (op.bucketSeconds * 1_000));
        const key = `${op.key}\0${op.family}\0${bucket}`;
        const queued = this.pending.get(key);
        const count = (queued?.add?.count ?? 0) + (op.add.count ?? 1);
        this.pending.set(key, { ...op, add: { at: op.add.at, count, always: true } });
      }
    }
    if (this.pending.size > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.track(this.flush()));
    }
  }

  /** Takes what is queued, for a send's store step (its adds count whatever the send's answer). */
  take(): TallyOp[] {
    const ops = [...this.pending.values()];
    this.pending.clear();
    return ops;
  }

  /** Sends what is queued in a call of its own. */
  async flush(): Promise<void> {
    this.scheduled = false;
    const tallies = this.take();
    if (tallies.length === 0) return;
    const { runtime } = this;
    try {
      await runtime.store.hitCounters([], runtime.clock.now(), { tallies });
    } catch (error) {
      runtime.logger.error(
        { err: error instanceof Error ? error.message : String(error), tallies: tallies.length },
        'checkpoint could not count approvals for the conversion guard',
      );
    }
  }

  /** Resolves once everything queued has reached the Store (or failed to); for `close()`. */
  async settled(): Promise<void> {
    while (this.pending.size > 0 || this.flushes.size > 0) {
      if (this.pending.size > 0) this.track(this.flush());
      await Promise.allSettled([...this.flushes]);
    }
  }

  private track(flush: Promise<void>): void {
    this.flushes.add(flush);
    void flush.finally(() => this.flushes.delete(flush));
  }
}
