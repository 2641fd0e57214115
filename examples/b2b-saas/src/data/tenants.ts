import { type TenantPolicy, validateTenantPolicy } from '@checkpoint/policy';
import type { ApprovedAuthenticator } from '@checkpoint/webauthn';
import { CHROMIUM_VIRTUAL_AUTHENTICATOR } from '@checkpoint/webauthn/testing';

/** A customer organisation of Acme Console. */
export interface Tenant {
  id: string;
  name: string;
  /** What the tenant's admins chose: @checkpoint/policy's TenantPolicy. */
  policy: TenantPolicy;
  /** One line for the login page: what SSO does here. */
  ssoNote: string;
  /**
   * Passkey models the tenant approves for AAL3 itself, with the attestation roots they must
   * chain to (`createWebAuthn({ approvedAuthenticators })`); models in the FIDO metadata, when
   * the demo loads it, need no entry here.
   */
  approvedAuthenticators: readonly ApprovedAuthenticator[];
}

/** The acr the demo IdP reports for a password + one-time-code login. */
export const IDP_MFA_ACR = 'urn:test:mfa';

/**
 * The two demo tenants. Both demand a device-bound passkey (AAL3) to grant the admin role
 * (the admin row of ENTERPRISE_PRESET); they differ in SSO: acme trusts the demo IdP's MFA ("bring your own
 * MFA"), globex counts an IdP login as a password only and asks for its own second factor.
 *
 * In development both approve one passkey model for AAL3: Chromium's virtual authenticator (the
 * browser tests', and DevTools' WebAuthn panel's), whose attestation root is listed for its
 * AAGUID. Its attestation key is public, so this approval exists only in development.
 */
export function demoTenants(idpIssuer: string, development: boolean): Tenant[] {
  // ENTERPRISE_PRESET's admin row: only a user-verified device-bound passkey (ASVS V6.6.1: no PSTN at L3).
  const adminAal3 = { admin_role_grant: { aal: 3 as const, methods: ['webauthn' as const] } };
  const approvedAuthenticators: ApprovedAuthenticator[] = development
    ? [
        {
          aaguid: CHROMIUM_VIRTUAL_AUTHENTICATOR.aaguid,
          roots: [CHROMIUM_VIRTUAL_AUTHENTICATOR.attestationRoot],
          description: CHROMIUM_VIRTUAL_AUTHENTICATOR.description,
        },
      ]
    : [];
  return [
    {
      id: 'acme',
      name: 'Acme Corp',
      policy: validateTenantPolicy({
        id: 'acme',
        trustIdpMfa: true,
        trustedIdps: [{ issuer: idpIssuer, acr: { [IDP_MFA_ACR]: 2 } }],
        stepUp: adminAal3,
      }),
      ssoNote: 'trusts the IdP’s MFA: an IdP login with MFA signs you in',
      approvedAuthenticators,
    },
    {
      id: 'globex',
      name: 'Globex',
      policy: validateTenantPolicy({ id: 'globex', trustIdpMfa: false, stepUp: adminAal3 }),
      ssoNote: 'does not trust the IdP’s MFA: a code to your phone completes the login',
      approvedAuthenticators,
    },
  ];
}
