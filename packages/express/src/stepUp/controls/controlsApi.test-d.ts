// Type tests of the controls' calls on StepUp: checked by `tsc -b` (part of `pnpm test`).
import type { Request, RequestHandler } from 'express';
import { expectTypeOf } from 'vitest';
import type {
  ApiKeyRecord,
  CooldownApproval,
  RoleGranted,
  StepUp,
  StepUpOptions,
  TenantContact,
} from '../../index.js';

declare const stepUp: StepUp;
declare const req: Request;

expectTypeOf(stepUp.requirePrivileged()).toEqualTypeOf<RequestHandler>();
expectTypeOf(
  stepUp.roleGranted(req, { userId: 'bob', role: 'admin' }),
).resolves.toEqualTypeOf<RoleGranted>();
expectTypeOf(
  stepUp.approveCooldown(req, { userId: 'bob' }),
).resolves.toEqualTypeOf<CooldownApproval>();
expectTypeOf(
  stepUp.apiKeyCreated(req, { keyId: 'key_1', scopes: ['read'], expiresAt: null }),
).resolves.toEqualTypeOf<{ auditEventId: string }>();
expectTypeOf<ApiKeyRecord['expiresAt']>().toEqualTypeOf<number | Date | null>();

declare const approval: CooldownApproval;
if (!approval.approved) {
  expectTypeOf(approval.reason).toEqualTypeOf<
    'no_cooldown' | 'self_approval' | 'granted_by_approver' | 'approver_in_cooldown'
  >();
}

expectTypeOf<NonNullable<StepUpOptions['contacts']>>().returns.toEqualTypeOf<
  readonly TenantContact[] | Promise<readonly TenantContact[]>
>();
// @ts-expect-error rotation names the key it replaces
void stepUp.apiKeyRotated(req, { keyId: 'key_2', scopes: [], expiresAt: null });
