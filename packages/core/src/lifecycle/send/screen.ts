import { countryRefusal } from '../../destination/countries.js';
import type { LookupResult } from '../../destination/lookupPhone.js';
import { lineTypeOf } from '../../destination/normalizeDestination.js';
import { CheckpointError } from '../../errors/CheckpointError.js';
import type { GuardInput, SendGuard } from '../SendGuard.js';
import type { SendRequest } from './sendRequest.js';

/**
 * @internal
 * Step 2, the country policy: a denied or sanctioned country is `country_blocked`, whatever else
 * is true of the number.
 */
export async function screenCountry(request: SendRequest): Promise<void> {
  const phone = request.destination.phone;
  if (phone === undefined) return;
  const refusal = countryRefusal(phone.country, request.config.countries);
  if (refusal === undefined) return;
  await request.refuse(
    new CheckpointError('country_blocked', 'codes cannot be sent to this country', {
      reasons: [refusal],
    }),
  );
}

/** @internal Step 3, the free guards: `pure` ones, asked before anything is paid for. */
export async function askFreeGuards(request: SendRequest): Promise<void> {
  await ask(request, request.guardInput(), (guard) => guard.pure === true);
}

/**
 * @internal
 * Step 4, what costs money, only for a send every free check let through: the LookupProvider, then
 * the other guards (a reputation service), and the pure ones again with the carrier's facts.
 * Resolves the lookup (undefined without a provider).
 */
export async function askPaidChecks(request: SendRequest): Promise<LookupResult | undefined> {
  const lookup = await lookupFor(request);
  const input: GuardInput = { ...request.guardInput(), lookup };
  await ask(request, input, (guard) => guard.pure !== true || lookup !== undefined);
  return lookup;
}

async function ask(
  request: SendRequest,
  input: GuardInput,
  which: (guard: SendGuard) => boolean,
): Promise<void> {
  for (const guard of request.runtime.guards) {
    if (guard.evaluate === undefined || !which(guard)) continue;
    const refusal = await guard.evaluate(input);
    if (refusal === undefined) continue;
    await request.refuse(
      new CheckpointError(refusal.code, `send refused by ${guard.name}`, {
        reasons: [refusal.reason],
        ...(refusal.retryAfter === undefined ? {} : { retryAfter: refusal.retryAfter }),
      }),
    );
  }
}

async function lookupFor(request: SendRequest): Promise<LookupResult | undefined> {
  const { runtime, destination } = request;
  if (destination.phone === undefined || runtime.lookupProvider === undefined) return undefined;
  const { phone } = destination;
  const base: LookupResult = {
    e164: phone.e164,
    country: phone.country,
    lineType: lineTypeOf(phone),
    valid: true,
  };
  try {
    return { ...base, ...(await runtime.lookupProvider.lookup(phone.e164)) };
  } catch (error) {
    runtime.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'checkpoint lookup provider failed',
    );
    return base;
  }
}
