import type { Checkpoint as CoreCheckpoint } from '@checkpoint/core';
import type { Factors } from '@checkpoint/factors';
import type { Sso, SsoSubject } from '@checkpoint/oidc';
import type { Checkpoint, Factor, TenantPolicy } from '@checkpoint/policy';
import type { WebAuthn } from '@checkpoint/webauthn';
import type { Request } from 'express';
import type { Attempt, Grants } from './grants.js';
import type { Revocations } from './revocations.js';
import type { StepUpSession } from './session.js';
import type { ContactNotice, StepUpOptions } from './StepUpOptions.js';

/** What a proof recorded for a checkpoint came to. */
export interface StepUpOutcome {
  /** The checkpoint is met — and, for a bound action, the action the step-up named is granted. */
  satisfied: boolean;
  /**
   * Why a proved factor did not satisfy it although the session now has the assurance: the
   * action waiting for the step-up is not the one it was started for, so nothing was granted for
   * it — `action_changed` when the step-up named another action (or none), `action_unconfirmed`
   * when it named none because no attempt was sent or it had expired. The factor itself is
   * recorded either way (an unbound checkpoint is met); start a step-up for the waiting action.
   */
  reason?: 'action_changed' | 'action_unconfirmed';
}

/**
 * @internal
 * What the step-up routes share, built once by `createStepUp`: the options with their defaults,
 * the Store-backed grants and revocations, and the helpers every route uses.
 */
export interface StepUpHost {
  checkpoint: CoreCheckpoint;
  destination: StepUpOptions['destination'];
  tenantPolicy: (req: Request) => TenantPolicy | Promise<TenantPolicy>;
  tenantId: (req: Request) => string | undefined;
  now: () => number;
  notify: ((notice: ContactNotice) => Promise<void>) | undefined;
  appName: string;
  webauthn: WebAuthn | undefined;
  userName: (req: Request, userId: string) => string | Promise<string>;
  sso: Sso | undefined;
  ssoUserId: (
    subject: SsoSubject,
    req: Request,
  ) => string | undefined | Promise<string | undefined>;
  factors: Factors | undefined;
  contacts: StepUpOptions['contacts'];
  grants: Grants;
  revocations: Revocations;
  /** The signed-in session (the router's first layer made sure there is one). */
  signedIn: (req: Request) => StepUpSession & { sessionKey: string };
  /** The signed-in user, the checkpoint the path names (404 when unknown to the tenant) and the tenant's policy. */
  target: (req: Request) => Promise<{
    state: StepUpSession & { sessionKey: string };
    name: string;
    tenant: TenantPolicy;
    resolved: Checkpoint;
  }>;
  /** The checkpoint `name` as `tenant` defines it; 404 `not_found` when it does not. */
  resolve: (name: string, tenant: TenantPolicy) => Checkpoint;
  /** Of `methods`, those this app can run (a configured channel, passkeys, SSO, factors). */
  offered: (methods: readonly string[]) => string[];
  /** Fixes what a step-up that starts now is for (the action pending, if any); resolves with its id. */
  begin: (
    state: StepUpSession & { sessionKey: string },
    name: string,
    id?: string,
  ) => Promise<{ id: string; attempt: Attempt }>;
  /**
   * Records a proved factor for checkpoint `name` (a new session id), and when the checkpoint is
   * then met and the attempt named an action, grants that action — only that one.
   */
  stepUpWith: (
    req: Request,
    name: string,
    proved: Factor,
    tenant: TenantPolicy,
    attempt: Attempt | undefined,
  ) => Promise<StepUpOutcome>;
  /** Tells the user, on the destination on file, that `what` happened. */
  announce: (req: Request, userId: string, what: string, text: string) => Promise<void>;
}
