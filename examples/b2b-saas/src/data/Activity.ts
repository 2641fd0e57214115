/** What the app itself records next to Checkpoint's audit events (core's log holds OTP events only). */
export type ActivityType =
  | 'account.created'
  | 'role.granted'
  | 'billing.changed'
  | 'api_key.created'
  | 'audit.exported'
  | 'data.exported'
  | 'passkey.enrolled'
  | 'password.reset'
  | 'devices.revoked';

export interface ActivityEvent {
  at: number;
  tenantId: string;
  userId: string;
  type: ActivityType;
  detail: string;
}

/** Step-up prompts shown and completed, per checkpoint: the dashboard's "step-up uptake". */
export interface StepUpCounts {
  challenged: number;
  completed: number;
}

/** The app's activity log and step-up counters, in memory. */
export class Activity {
  private readonly events: ActivityEvent[] = [];
  private readonly stepUps = new Map<string, StepUpCounts>();

  constructor(private readonly now: () => number) {}

  record(event: Omit<ActivityEvent, 'at'>): void {
    this.events.push({ ...event, at: this.now() });
  }

  /** A tenant's events, newest first. */
  forTenant(tenantId: string): ActivityEvent[] {
    return this.events.filter((event) => event.tenantId === tenantId).reverse();
  }

  stepUpChallenged(checkpoint: string): void {
    this.counts(checkpoint).challenged += 1;
  }

  stepUpCompleted(checkpoint: string): void {
    this.counts(checkpoint).completed += 1;
  }

  stepUpCounts(): ReadonlyMap<string, StepUpCounts> {
    return this.stepUps;
  }

  private counts(checkpoint: string): StepUpCounts {
    let counts = this.stepUps.get(checkpoint);
    if (counts === undefined) {
      counts = { challenged: 0, completed: 0 };
      this.stepUps.set(checkpoint, counts);
    }
    return counts;
  }
}
