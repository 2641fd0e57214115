import { resolveControls } from '@checkpoint/policy';
import type { Request, Response } from 'express';
import { HTTP_STATUS } from '../../errors/httpStatus.js';
import type { StepUpHost } from '../StepUpHost.js';
import { type ControlScope, recordControl } from './controlEvent.js';
import { type Cooldown, Cooldowns } from './Cooldowns.js';
import { Frequency } from './Frequency.js';
import { sendNotices } from './notices.js';

// The checkpoints each request got through (for the calls that must follow a step-up).
const passed = new WeakMap<Request, Set<string>>();

/** @internal True when this request got through `requireCheckpoint(name)`. */
export function passedCheckpoint(req: Request, name: string): boolean {
  return passed.get(req)?.has(name) === true;
}

/**
 * @internal
 * Before a checkpoint is evaluated: refuses a user in a cool-down that covers this checkpoint
 * (403 `cooldown_active`, with `Retry-After`) — before any code is sent for nothing — and audits
 * the refusal. Resolves true when it answered.
 */
export async function refuseInCooldown(
  host: StepUpHost,
  res: Response,
  scope: ControlScope,
  name: string,
): Promise<boolean> {
  const cooldown = await new Cooldowns(host.checkpoint.tickets, host.now).active(
    scope.tenant,
    scope.userId,
  );
  if (cooldown === undefined || !cooldown.checkpoints.includes(name)) return false;
  await refuseCooldown(host, res, scope, name, cooldown);
  return true;
}

/**
 * @internal
 * Once the checkpoint is met, before a bound grant is spent: refuses a user whose interval for
 * this checkpoint is not over (429 `rate_limited`, with `Retry-After`) and audits the refusal.
 * Resolves true when it answered.
 */
export async function refuseWithinInterval(
  host: StepUpHost,
  res: Response,
  scope: ControlScope,
  name: string,
): Promise<boolean> {
  const interval = resolveControls(name, scope.tenant).minIntervalSeconds;
  if (interval === 0) return false;
  const wait = await new Frequency(host.checkpoint.tickets, host.now).wait(
    scope.tenant,
    scope.userId,
    name,
  );
  if (wait === 0) return false;
  await refuseFrequency(host, res, scope, name, wait, interval);
  return true;
}

/**
 * @internal
 * Right before a guarded request goes on: claims the user's interval (atomically, across
 * processes; given back if the handler does not answer 2xx), and sends the checkpoint's notices
 * once the handler answered 2xx. Resolves false when it answered instead (the interval was taken
 * meanwhile).
 */
export async function admitWithControls(
  host: StepUpHost,
  req: Request,
  res: Response,
  scope: ControlScope,
  action: { checkpoint: string; summary?: string | undefined },
): Promise<boolean> {
  const { checkpoint: name } = action;
  const controls = resolveControls(name, scope.tenant);
  const frequency = new Frequency(host.checkpoint.tickets, host.now);
  if (controls.minIntervalSeconds > 0) {
    const wait = await frequency.claim(
      scope.tenant,
      scope.userId,
      name,
      controls.minIntervalSeconds,
    );
    if (wait > 0) {
      await refuseFrequency(host, res, scope, name, wait, controls.minIntervalSeconds);
      return false;
    }
  }
  const seen = passed.get(req) ?? new Set<string>();
  seen.add(name);
  passed.set(req, seen);
  if (controls.minIntervalSeconds > 0 || controls.notify.length > 0) {
    // Notices go out, and the interval stays spent, only for an action that ran.
    res.once('finish', () => {
      const succeeded = res.statusCode >= 200 && res.statusCode < 300;
      const after = succeeded
        ? sendNotices(host, req, scope, { ...action, audiences: controls.notify })
        : controls.minIntervalSeconds > 0
          ? frequency.release(scope.tenant, scope.userId, name)
          : Promise.resolve();
      // The response is gone: a failure here can only be left to the audit trail.
      after.catch(() => undefined);
    });
  }
  return true;
}

/** @internal Answers 403 `cooldown_active` (with `Retry-After`) and audits the refusal. */
export async function refuseCooldown(
  host: StepUpHost,
  res: Response,
  scope: ControlScope,
  name: string,
  cooldown: Cooldown,
): Promise<void> {
  const retryAfter = Math.max(1, Math.ceil((cooldown.until - host.now()) / 1000));
  const until = new Date(cooldown.until).toISOString();
  await recordControl(host, scope, {
    type: 'checkpoint.cooldown_refused',
    checkpoint: name,
    result: 'privileged_action',
    data: { role: cooldown.role, grantedBy: cooldown.grantedBy, until },
  });
  res.setHeader('Retry-After', String(retryAfter));
  res.status(403).json({
    error: 'cooldown_active',
    message: `a newly granted ${cooldown.role} role waits until ${until} (or another admin's approval) before ${name}`,
    checkpoint: name,
    until,
    retryAfter,
  });
}

async function refuseFrequency(
  host: StepUpHost,
  res: Response,
  scope: ControlScope,
  name: string,
  retryAfter: number,
  interval: number,
): Promise<void> {
  await recordControl(host, scope, {
    type: 'checkpoint.frequency_refused',
    checkpoint: name,
    result: 'rate_limited',
    data: { minIntervalSeconds: interval, retryAfter },
  });
  res.setHeader('Retry-After', String(retryAfter));
  res.status(HTTP_STATUS.rate_limited).json({
    error: 'rate_limited',
    message: `${name} is allowed once every ${interval} s; retry in ${retryAfter} s`,
    retryAfter,
  });
}
