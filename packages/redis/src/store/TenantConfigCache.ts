import type { Cluster, Redis } from 'ioredis';

/** Most tenants kept; past it the cache starts over (a tenant's next send reads Redis again). */
const CAPACITY = 10_000;

/**
 * @internal
 * Tenant configuration (a JSON string, or null for none) cached in this process and dropped
 * through Redis pub/sub: `setTenantConfig` publishes the tenant id on `channel`, and every
 * process's subscriber forgets that tenant. The cache answers only while the subscriber is
 * subscribed; when its connection drops it forgets everything and reads go to Redis until it is
 * back, so no process keeps a configuration it could have missed a change of.
 *
 * A read that raced a change (the message arrived while the GET was in flight) is returned but
 * not kept: `generation` moves on every message and every disconnect.
 */
export class TenantConfigCache {
  private readonly entries = new Map<string, string | null>();
  private readonly subscriber: Redis | Cluster;
  private generation = 0;
  private live = false;
  private closed = false;

  constructor(
    redis: Redis | Cluster,
    private readonly channel: string,
  ) {
    this.subscriber = redis.isCluster
      ? (redis as Cluster).duplicate()
      : (redis as Redis).duplicate();
    const forget = (): void => {
      this.live = false;
      this.entries.clear();
      this.generation += 1;
    };
    this.subscriber.on('error', forget);
    this.subscriber.on('close', forget);
    this.subscriber.on('end', forget);
    this.subscriber.on('reconnecting', forget);
    this.subscriber.on('message', (from: string, tenantId: string) => {
      if (from !== this.channel) return;
      this.entries.delete(tenantId);
      this.generation += 1;
    });
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(() => {
        if (!this.closed) this.live = true;
      }, forget);
    });
    if (this.subscriber.status === 'wait') this.subscriber.connect().catch(forget);
  }

  /** The cached configuration, or `load()`'s answer (kept when nothing changed meanwhile). */
  async read(tenantId: string, load: () => Promise<string | null>): Promise<string | null> {
    if (this.live) {
      const cached = this.entries.get(tenantId);
      if (cached !== undefined || this.entries.has(tenantId)) return cached ?? null;
    }
    const generation = this.generation;
    const raw = await load();
    if (this.live && generation === this.generation) {
      if (this.entries.size >= CAPACITY) this.entries.clear();
      this.entries.set(tenantId, raw);
    }
    return raw;
  }

  /** Forgets `tenantId` here; the caller publishes to the other processes. */
  forget(tenantId: string): void {
    this.entries.delete(tenantId);
    this.generation += 1;
  }

  close(): void {
    this.closed = true;
    this.live = false;
    this.entries.clear();
    this.subscriber.disconnect();
  }
}
