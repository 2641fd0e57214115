import { randomBytes } from 'node:crypto';
import type { Tickets } from '@checkpoint/core';

/** An action waiting for its step-up: the hash it binds, and what the user is shown. */
export interface PendingAction {
  hash: string;
  summary?: string;
}

/**
 * A step-up under way, fixed when it starts: the session and checkpoint it is for, and the
 * action (if one was pending) that its message, passkey challenge or page named.
 */
export interface Attempt {
  sessionKey: string;
  userId: string;
  checkpoint: string;
  action?: PendingAction;
}

// What a guarded request waits for is kept as long as a verification lives; an attempt as long
// as its proof can take (a code's TTL, a passkey ceremony, an IdP round trip).
const PENDING_TTL_SECONDS = 15 * 60;
const ATTEMPT_TTL_SECONDS = 15 * 60;

/**
 * @internal
 * Step-up grants as single-use Store tickets, bound to (session, checkpoint, payload hash):
 *
 * 1. A guarded request that lacks a grant records its action as pending (`su:pending:…`).
 * 2. A step-up starts: the pending action is read once and fixed in an attempt (`su:attempt:…`)
 *    — the code's message, the passkey challenge or the page says what it approves.
 * 3. The proof succeeds: the attempt is taken, and a grant (`su:grant:…`) is made for the
 *    attempt's hash only, never for whatever is pending by then.
 * 4. The guarded request comes back: `take` hands the grant to exactly one request, on every
 *    process that shares the Store.
 *
 * The session holds none of these, so a stale copy of it can neither revive a spent grant nor
 * swap the action a code approves.
 */
export class Grants {
  constructor(private readonly tickets: Tickets) {}

  /** Records the action a guarded request is waiting for (replacing an earlier one). */
  async setPending(sessionKey: string, checkpoint: string, action: PendingAction): Promise<void> {
    await this.tickets.put({
      key: pendingKey(sessionKey, checkpoint),
      value: JSON.stringify(action),
      ttlSeconds: PENDING_TTL_SECONDS,
      replace: true,
    });
  }

  /** The action pending for this session and checkpoint, if any. */
  async pending(sessionKey: string, checkpoint: string): Promise<PendingAction | undefined> {
    return parse<PendingAction>(await this.tickets.read(pendingKey(sessionKey, checkpoint)));
  }

  /**
   * Fixes what a step-up is for as it starts, under `id` (a verification id, a passkey
   * challenge's binding, an SSO transaction) or a new random id. Resolves with the id.
   */
  async begin(attempt: Attempt, id = `at_${randomBytes(16).toString('base64url')}`) {
    await this.tickets.put({
      key: `su:attempt:${id}`,
      value: JSON.stringify(attempt),
      ttlSeconds: ATTEMPT_TTL_SECONDS,
      replace: true,
    });
    return id;
  }

  /** Takes an attempt (once); undefined when unknown, taken, expired, or not this session's. */
  async finish(id: unknown, sessionKey: string, checkpoint: string): Promise<Attempt | undefined> {
    if (typeof id !== 'string' || id === '' || id.length > 128) return undefined;
    const attempt = parse<Attempt>(await this.tickets.take(`su:attempt:${id}`));
    if (attempt?.sessionKey !== sessionKey || attempt.checkpoint !== checkpoint) return undefined;
    return attempt;
  }

  /** Grants the action `hash` to this session for `ttlSeconds` (the checkpoint's max age). */
  async grant(sessionKey: string, checkpoint: string, hash: string, ttlSeconds: number) {
    await this.tickets.put({
      key: grantKey(sessionKey, checkpoint, hash),
      value: '1',
      ttlSeconds: Math.max(1, Math.floor(ttlSeconds)),
      replace: true,
    });
    // What was pending is done, unless it changed meanwhile.
    const pending = await this.pending(sessionKey, checkpoint);
    if (pending?.hash === hash) await this.tickets.take(pendingKey(sessionKey, checkpoint));
  }

  /** Spends the grant for `hash`: true for exactly one caller. */
  async take(sessionKey: string, checkpoint: string, hash: string): Promise<boolean> {
    return (await this.tickets.take(grantKey(sessionKey, checkpoint, hash))) !== null;
  }
}

function pendingKey(sessionKey: string, checkpoint: string): string {
  return `su:pending:${sessionKey}:${checkpoint}`;
}

function grantKey(sessionKey: string, checkpoint: string, hash: string): string {
  return `su:grant:${sessionKey}:${checkpoint}:${hash}`;
}

function parse<T>(value: string | null): T | undefined {
  if (value === null) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}
