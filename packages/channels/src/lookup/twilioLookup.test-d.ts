// Type tests of the lookup API: checked by `tsc -b` (part of `pnpm test`).
import type { LookupProvider } from '@checkpoint/core';
import { expectTypeOf } from 'vitest';
import { parseTwilioLookup, type ProviderFacts, twilioLookup } from '../index.js';

const account = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token' };
expectTypeOf(twilioLookup(account)).toEqualTypeOf<LookupProvider>();
expectTypeOf(parseTwilioLookup({}, 0)).toEqualTypeOf<ProviderFacts>();
// @ts-expect-error only the packages the adapter reads
twilioLookup({ ...account, fields: ['caller_name'] });
