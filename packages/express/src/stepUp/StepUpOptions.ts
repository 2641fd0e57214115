import type { Checkpoint, DestinationInput } from '@checkpoint/core';
import type { ControlAudience, TenantPolicy } from '@checkpoint/policy';
import type { Factors } from '@checkpoint/factors';
import type { Sso, SsoSubject } from '@checkpoint/oidc';
import type { WebAuthn } from '@checkpoint/webauthn';
import type { Request } from 'express';

/** A value or a promise of it. */
type MaybePromise<T> = T | Promise<T>;

/** Options of {@link createStepUp}. */
export interface StepUpOptions {
  /** The Checkpoint that sends and checks step-up codes. */
  checkpoint: Checkpoint;
  /** The signed-in user's step-up destination (phone and/or email), or undefined when none. */
  destination: (req: Request, userId: string) => MaybePromise<DestinationInput | undefined>;
  /** The tenant's step-up policy (@checkpoint/policy). @default () => ({ id: 'default' }) */
  tenantPolicy?: (req: Request) => MaybePromise<TenantPolicy>;
  /** Core tenant the codes are sent under. @default core's 'default' tenant */
  tenantId?: (req: Request) => string | undefined;
  /** The browser page that runs a step-up; browsers are redirected here. @default '/step-up' */
  pagePath?: string;
  /** Where `router` is mounted, for the `stepUpUrl` in 401 answers. @default '/auth/step-up' */
  apiPath?: string;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /**
   * Sends a notice (no code) to a destination: used by `contactChanged` to tell the previous
   * phone or email that the account's contact changed, and by a checkpoint's controls to tell the
   * account, billing admins or security contacts that its action ran (`checkpoint` and `audience`
   * set). The text holds masked values only. Deliver it over your channels.
   */
  notify?: (notice: ContactNotice) => Promise<void>;
  /** Product name in notices. @default 'your account' */
  appName?: string;
  /**
   * Passkeys (@checkpoint/webauthn): adds `POST /:checkpoint/webauthn/options|verify` (step-up with
   * a passkey; AAL3 for a user-verified device-bound one) and `POST /passkeys/register/options|verify`
   * (enrolment, behind a fresh `contact_change` step-up; `notify` tells the user). @default none
   */
  webauthn?: WebAuthn;
  /** The user's name shown by the authenticator at passkey enrolment. @default the user id */
  userName?: (req: Request, userId: string) => MaybePromise<string>;
  /**
   * SSO (@checkpoint/oidc): adds `GET /:checkpoint/sso` (step-up at the IdP the session signed in
   * with, demanding the acr values the tenant trusts for the checkpoint, and `max_age`) and
   * `GET /sso/callback` (point the IdP's redirect URI here). @default none
   */
  sso?: Sso;
  /**
   * The app's user id for an IdP subject: the IdP login must be the session's user. The request
   * says which tenant asked (`req.session`), for apps that map one IdP subject per tenant.
   * @default (subject) => subject.key
   */
  ssoUserId?: (subject: SsoSubject, req: Request) => MaybePromise<string | undefined>;
  /**
   * Authenticator apps, recovery codes and remembered devices (@checkpoint/factors): adds
   * `POST /:checkpoint/totp/verify` and `POST /:checkpoint/recovery-code/verify` (step-up), and the
   * `/factors/…` management routes (enrolling or removing needs a fresh `factor_change` step-up;
   * `notify` tells the user). @default none
   */
  factors?: Factors;
  /**
   * Checkpoints your tenants define themselves (in `tenant.stepUp`), by name, so that
   * `requireCheckpoint` accepts them: each is resolved per request against the request's tenant,
   * and a tenant that does not define it answers 404 `not_found`. Any other name that is not
   * built in is a TypeError at `requireCheckpoint`. @default []
   */
  customCheckpoints?: readonly string[];
  /**
   * The tenant's billing admins or security contacts: whom a checkpoint's controls notify (through
   * `notify`) once its action ran — by default every billing admin after `billing_change`, the
   * security contacts after `admin_role_grant`, `api_key_create` and `data_export`.
   * @default nobody (only the account itself is notified)
   */
  contacts?: (
    req: Request,
    query: { audience: 'billing_admins' | 'security_contacts'; tenantId: string },
  ) => MaybePromise<readonly TenantContact[]>;
}

/** A person `contacts` names: the app's user id and where notices reach them. */
export interface TenantContact {
  userId: string;
  to: DestinationInput;
}

/** A notice about a change to the account's authenticators: sent to the previous (or current) destination. */
export interface ContactNotice {
  userId: string;
  /** Where the notice goes: the previous destination, or for a new passkey the account's own. */
  to: DestinationInput;
  /** Human text, with the new destination masked. */
  text: string;
  /** The new destination, masked; for a checkpoint's notice, what was done, masked. */
  changedTo: string;
  /** For a checkpoint's notice (its controls' `notify`): the checkpoint whose action ran. */
  checkpoint?: string;
  /** For a checkpoint's notice: why this person is told. */
  audience?: ControlAudience;
}
