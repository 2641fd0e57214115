// Type tests of the pumping API: checked by `tsc -b` (part of `pnpm test`).
import { expectTypeOf } from 'vitest';
import {
  type AsnResolver,
  type ConversionThrottle,
  type NumberReputation,
  type PumpingConfig,
  type SendGuard,
  type StatefulSendGuard,
  type TenantOverrides,
  defaultGuards,
  lineTypeGuard,
  pumpingGuards,
  reputationGuard,
  staticAsnResolver,
  staticBlocklist,
  trafficGuard,
} from '../index.js';

expectTypeOf(defaultGuards()).toEqualTypeOf<SendGuard[]>();
expectTypeOf(pumpingGuards()).toEqualTypeOf<SendGuard[]>();
expectTypeOf(lineTypeGuard()).toEqualTypeOf<SendGuard>();
expectTypeOf(trafficGuard()).toEqualTypeOf<StatefulSendGuard>();
expectTypeOf(trafficGuard()).toExtend<SendGuard>();
expectTypeOf(reputationGuard({ reputation: staticBlocklist() })).toExtend<SendGuard>();
expectTypeOf(staticBlocklist()).toEqualTypeOf<NumberReputation>();
expectTypeOf(staticAsnResolver([])).toEqualTypeOf<AsnResolver>();
expectTypeOf<ConversionThrottle['scope']>().toEqualTypeOf<'prefix' | 'network' | 'country'>();
// configure() takes any subset of the pumping settings.
expectTypeOf<{ pumping: { conversionMinPercent: number } }>().toExtend<TenantOverrides>();
expectTypeOf<TenantOverrides['pumping']>().toEqualTypeOf<Partial<PumpingConfig> | undefined>();
// @ts-expect-error a profile is 'standard' or 'strict'
const wrong: TenantOverrides = { pumping: { profile: 'lenient' } };
void wrong;
