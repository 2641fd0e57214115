import type { Tickets } from '@checkpoint/core';
import type { TenantPolicy } from '@checkpoint/policy';
import { userKey } from './controlEvent.js';

/** A new admin's cool-down, as kept in the Store. */
export interface Cooldown {
  /** Epoch ms it ends (on the step-up's clock). */
  until: number;
  /** The app's id of the admin who granted the role. */
  grantedBy: string;
  /** The role granted, as the app named it. */
  role: string;
  /** The checkpoints the user is refused at until then. */
  checkpoints: readonly string[];
}

/**
 * @internal
 * Cool-downs as Store tickets, one per (tenant, user), shared by every process: started when a
 * role is granted, read by every privileged guard, ended by its time or by an approval.
 */
export class Cooldowns {
  constructor(
    private readonly tickets: Tickets,
    private readonly now: () => number,
  ) {}

  /** Starts (or restarts) the cool-down of `userId`. */
  async start(tenant: TenantPolicy, userId: string, cooldown: Cooldown): Promise<void> {
    const seconds = Math.max(1, Math.ceil((cooldown.until - this.now()) / 1000));
    await this.tickets.put({
      key: userKey('su:cooldown', tenant, userId),
      value: JSON.stringify(cooldown),
      ttlSeconds: seconds,
      replace: true,
    });
  }

  /** The cool-down `userId` is in now, if any. */
  async active(tenant: TenantPolicy, userId: string): Promise<Cooldown | undefined> {
    const value = await this.tickets.read(userKey('su:cooldown', tenant, userId));
    const cooldown = parse(value);
    return cooldown !== undefined && cooldown.until > this.now() ? cooldown : undefined;
  }

  /** Ends the cool-down of `userId` (an approval); true when one was ended. */
  async end(tenant: TenantPolicy, userId: string): Promise<boolean> {
    return (await this.tickets.take(userKey('su:cooldown', tenant, userId))) !== null;
  }
}

function parse(value: string | null): Cooldown | undefined {
  if (value === null) return undefined;
  try {
    const cooldown = JSON.parse(value) as Partial<Cooldown>;
    if (typeof cooldown.until !== 'number' || !Array.isArray(cooldown.checkpoints)) {
      return undefined;
    }
    return cooldown as Cooldown;
  } catch {
    return undefined;
  }
}
