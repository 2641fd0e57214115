import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Longest wait a decoy answer takes on, whatever was measured. */
const MAX_PAD_MS = 10_000;

/**
 * @internal
 * How long real sends took, recently: a decoy answer waits until as much time has passed as a
 * real send drawn at random from the last `size`, so its latency has the real distribution
 * (a real send waits on the SMS or email provider; a decoy has nobody to call). Measured in real
 * time, never with an injected clock.
 */
export class LatencySampler {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(private readonly size = 64) {}

  /** Milliseconds since the process started, for {@link record} and {@link pad}. */
  static now(): number {
    return performance.now();
  }

  /** Records a real operation that started at `startedAt` and has just ended. */
  record(startedAt: number): void {
    const elapsed = Math.min(MAX_PAD_MS, Math.max(0, performance.now() - startedAt));
    if (this.samples.length < this.size) this.samples.push(elapsed);
    else this.samples[this.next] = elapsed;
    this.next = (this.next + 1) % this.size;
  }

  /** Waits until a sampled real latency has passed since `startedAt` (at once before any sample). */
  async pad(startedAt: number): Promise<void> {
    if (this.samples.length === 0) return;
    const target = this.samples[randomInt(this.samples.length)] as number;
    const wait = target - (performance.now() - startedAt);
    if (wait > 0) await sleep(wait);
  }
}
