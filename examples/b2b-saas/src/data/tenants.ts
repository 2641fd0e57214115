import { type TenantPolicy, validateTenantPolicy } from '@checkpoint/policy';

/** A customer organisation of Acme Console. */
export interface Tenant {
  id: string;
  name: string;
  /** What the tenant's admins chose: @checkpoint/policy's TenantPolicy. */
  policy: TenantPolicy;
  /** One line for the login page: what SSO does here. */
  ssoNote: string;
}

/** The acr the demo IdP reports for a password + one-time-code login. */
export const IDP_MFA_ACR = 'urn:test:mfa';

/**
 * The two demo tenants. Both demand a device-bound passkey (AAL3) to grant the admin role
 * (the admin row of ENTERPRISE_PRESET); they differ in SSO: acme trusts the demo IdP's MFA ("bring your own
 * MFA"), globex counts an IdP login as a password only and asks for its own second factor.
 */
export function demoTenants(idpIssuer: string): Tenant[] {
  // ENTERPRISE_PRESET's admin row: only a user-verified device-bound passkey (ASVS V6.6.1: no PSTN at L3).
  const adminAal3 = { admin_role_grant: { aal: 3 as const, methods: ['webauthn' as const] } };
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
    },
    {
      id: 'globex',
      name: 'Globex',
      policy: validateTenantPolicy({ id: 'globex', trustIdpMfa: false, stepUp: adminAal3 }),
      ssoNote: 'does not trust the IdP’s MFA: a code to your phone completes the login',
    },
  ];
}
