import type { Factors } from '@checkpoint/factors';
import type { Checkpoint, Factor, TenantPolicy } from '@checkpoint/policy';
import type { Request } from 'express';
import type { StepUpSession } from './session.js';

/** @internal What the factor routes borrow from `createStepUp`. */
export interface FactorHost {
  factors: Factors;
  /** The signed-in user, the checkpoint the path names (404 when unknown) and the tenant's policy. */
  target: (req: Request) => Promise<{
    state: StepUpSession;
    name: string;
    tenant: TenantPolicy;
    resolved: Checkpoint;
  }>;
  signedIn: (req: Request) => StepUpSession;
  tenantPolicy: (req: Request) => TenantPolicy | Promise<TenantPolicy>;
  now: () => number;
  /** Records a proved factor for checkpoint `name` (new session id when assurance rises); resolves whether it is satisfied. */
  stepUpWith: (
    req: Request,
    name: string,
    proved: Factor,
    tenant: TenantPolicy,
    at: number,
  ) => Promise<boolean>;
  /** Tells the user, on the destination on file, that `what` happened. */
  announce: (req: Request, userId: string, what: string, text: string) => Promise<void>;
}
