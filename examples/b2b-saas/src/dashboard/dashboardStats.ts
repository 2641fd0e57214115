import type { AuditLog } from '@checkpoint/core';
import type { StepUpCounts } from '../data/Activity.js';

/** What the operator dashboard shows, computed from the audit log and the step-up counters. */
export interface DashboardStats {
  /** Verifications started and approved per flow (purpose). */
  byPurpose: { purpose: string; started: number; approved: number }[];
  /** Codes dispatched per channel. */
  channels: { channel: string; sent: number }[];
  /** Sends refused before any code left (velocity, country, pumping guards), and why. */
  blocked: { blocked: number; attempted: number; reasons: { reason: string; count: number }[] };
  /** Step-up prompts shown and completed, per checkpoint. */
  stepUps: { checkpoint: string; challenged: number; completed: number }[];
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Reads every tenant's audit events once: the verification rate by flow is approvals over
 * `verification.requested`, the blocked share is `verification.blocked` over all send attempts.
 */
export async function dashboardStats(
  auditLog: AuditLog,
  tenantIds: readonly string[],
  stepUps: ReadonlyMap<string, StepUpCounts>,
): Promise<DashboardStats> {
  const started = new Map<string, number>();
  const approved = new Map<string, number>();
  const channels = new Map<string, number>();
  const reasons = new Map<string, number>();
  let blocked = 0;
  for (const tenantId of tenantIds) {
    for await (const event of auditLog.query({ tenantId })) {
      const purpose = event.purpose ?? 'other';
      if (event.type === 'verification.requested') bump(started, purpose);
      else if (event.type === 'verification.approved') bump(approved, purpose);
      else if (event.type === 'verification.dispatched') bump(channels, event.channel ?? 'other');
      else if (event.type === 'verification.blocked') {
        blocked += 1;
        // `pumping:line_type:premium_rate` -> `line_type:premium_rate`: short enough for a label.
        bump(reasons, (event.reasons?.[0] ?? event.result ?? 'other').replace(/^pumping:/, ''));
      }
    }
  }
  const requested = [...started.values()].reduce((sum, count) => sum + count, 0);
  return {
    byPurpose: [...started].map(([purpose, count]) => ({
      purpose,
      started: count,
      approved: approved.get(purpose) ?? 0,
    })),
    channels: [...channels].map(([channel, sent]) => ({ channel, sent })),
    blocked: {
      blocked,
      attempted: requested + blocked,
      reasons: [...reasons]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count),
    },
    stepUps: [...stepUps].map(([checkpoint, counts]) => ({ checkpoint, ...counts })),
  };
}
