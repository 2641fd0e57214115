import type { EnrolmentCounts } from '@checkpoint/observability';
import type { DemoContext } from '../DemoContext.js';

/**
 * The demo's answer to `enrolmentMetrics`' `collect`: each workspace's members are its active
 * users (the demo has no inactive accounts), and a member's second factors are a phone for login
 * codes (sms), a confirmed authenticator app (totp) and a passkey enrolled in that workspace
 * (webauthn). A real app counts the same in its user table, with its own idea of "active".
 */
export async function demoEnrolment(
  ctx: Pick<DemoContext, 'users' | 'tenants' | 'factors' | 'credentials'>,
): Promise<EnrolmentCounts[]> {
  const all: EnrolmentCounts[] = [];
  for (const tenantId of ctx.tenants.keys()) {
    const enrolled = { sms: 0, totp: 0, webauthn: 0 };
    let withSecondFactor = 0;
    const members = ctx.users.inTenant(tenantId);
    for (const user of members) {
      const sms = user.phone !== '';
      const totp = (await ctx.factors.totp.status({ tenantId, userId: user.id })).enrolled;
      const webauthn = (await ctx.credentials.listByUser(user.id)).some(
        (credential) => credential.tenantId === undefined || credential.tenantId === tenantId,
      );
      enrolled.sms += sms ? 1 : 0;
      enrolled.totp += totp ? 1 : 0;
      enrolled.webauthn += webauthn ? 1 : 0;
      withSecondFactor += sms || totp || webauthn ? 1 : 0;
    }
    all.push({ tenantId, activeUsers: members.length, withSecondFactor, enrolled });
  }
  return all;
}
