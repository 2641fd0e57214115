import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

// Sets the key's current job id and returns the one it replaces, in one step, so two processes
// re-arming the same key at once agree on a single winner (the last write).
const SWAP = `local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return old`;

// Clears the key and returns the job id it pointed at.
const TAKE = `local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then redis.call('HDEL', KEYS[1], ARGV[1]) end
return old`;

// Clears the key only while it still points at this job: a job that finishes after being
// replaced must not erase its replacement.
const RELEASE = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0`;

/**
 * @internal
 * A BullMQ job id for a scheduler key: the key, URI-encoded (BullMQ refuses ids with `:` and ids
 * that are integers; `fallback:vf_…` has a `:`), then a dot and 72 random bits, so each arming of
 * a key is a new job and never collides with a stale one that is still running.
 */
export function newJobId(key: string): string {
  return `${encodeURIComponent(key)}.${randomBytes(9).toString('base64url')}`;
}

/**
 * @internal
 * Which BullMQ job is the live one for each scheduler key: one Redis hash, `<prefix>:<queue>:
 * timer-index`, field = key, value = job id. It lives beside the queue's own keys (same hash tag,
 * same cluster slot) and is what makes replace and cancel work from any process: a job runs only
 * while the index still names it.
 */
export class TimerIndex {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly hashKey: string,
  ) {}

  /** Makes `jobId` the live job for `key`; returns the job it replaced, if any. */
  async swap(key: string, jobId: string): Promise<string | undefined> {
    return asId(await this.redis.eval(SWAP, 1, this.hashKey, key, jobId));
  }

  /** Forgets `key`; returns the job that was live, if any. */
  async take(key: string): Promise<string | undefined> {
    return asId(await this.redis.eval(TAKE, 1, this.hashKey, key));
  }

  /** Whether `jobId` is still the live job for `key` (not replaced, not canceled). */
  async isCurrent(key: string, jobId: string): Promise<boolean> {
    return (await this.redis.hget(this.hashKey, key)) === jobId;
  }

  /** Forgets `key` if `jobId` is still its live job (the job ran or gave up). */
  async release(key: string, jobId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.hashKey, key, jobId);
  }
}

function asId(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString();
  return undefined;
}
