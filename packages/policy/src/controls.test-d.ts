// Type tests of the controls' public API: checked by `tsc -b` (part of `pnpm test`).
import { expectTypeOf } from 'vitest';
import {
  type CheckpointControls,
  CONTROLS,
  type ControlAudience,
  type ControlsOverride,
  resolveControls,
  type TenantPolicy,
} from './index.js';

expectTypeOf(resolveControls).parameters.toEqualTypeOf<[string, (TenantPolicy | undefined)?]>();
expectTypeOf(resolveControls('data_export')).toEqualTypeOf<CheckpointControls>();
expectTypeOf(CONTROLS.data_export.minIntervalSeconds).toEqualTypeOf<number>();
expectTypeOf<CheckpointControls['notify']>().toEqualTypeOf<readonly ControlAudience[]>();
expectTypeOf<ControlAudience>().toEqualTypeOf<'account' | 'billing_admins' | 'security_contacts'>();

const tenant: TenantPolicy = { id: 'acme', controls: { data_export: { minIntervalSeconds: 900 } } };
expectTypeOf(tenant.controls).toEqualTypeOf<
  Readonly<Record<string, ControlsOverride>> | undefined
>();
// @ts-expect-error an audience that does not exist
const wrong: ControlsOverride = { notify: ['everyone'] };
void wrong;
