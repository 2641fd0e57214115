/**
 * What the sandbox does with a destination:
 * - `deliver`: accepted (`sent`), then a `delivered` receipt;
 * - `fail`: accepted (`sent`), then a `failed` receipt (core escalates at once);
 * - `silent`: accepted (`sent`), never a receipt (core escalates after its fallback timeout);
 * - `timeout`: the send hangs for `timeoutMs`, then fails as `channel_unavailable`;
 * - `invalid`: the send fails at once as `invalid_number`;
 * - `unavailable`: the send fails at once as `channel_unavailable`.
 */
export type SandboxBehaviour =
  | 'deliver'
  | 'fail'
  | 'silent'
  | 'timeout'
  | 'invalid'
  | 'unavailable';

/**
 * The reserved numbers, by the last two digits of a North American fictional number
 * `+1 NPA 555 01XX` (NANP reserves 555-0100 to 555-0199 for fiction; any area code).
 */
export const SANDBOX_NUMBER_RANGES: ReadonlyArray<{
  from: number;
  to: number;
  behaviour: SandboxBehaviour;
}> = [
  { from: 0, to: 19, behaviour: 'deliver' },
  { from: 20, to: 29, behaviour: 'fail' },
  { from: 30, to: 39, behaviour: 'silent' },
  { from: 40, to: 49, behaviour: 'timeout' },
  { from: 50, to: 59, behaviour: 'invalid' },
  { from: 60, to: 69, behaviour: 'unavailable' },
];

/** The reserved email domain (`.test` is reserved by RFC 2606). */
export const SANDBOX_EMAIL_DOMAIN = 'sandbox.test';

const NUMBER = /^\+1[2-9]\d{2}55501(\d{2})$/;
const EMAIL = /^([a-z]+)(?:\+[^@]*)?@sandbox\.test$/i;
const EMAIL_BEHAVIOURS = new Set<string>([
  'deliver',
  'fail',
  'silent',
  'timeout',
  'invalid',
  'unavailable',
]);

/**
 * What the sandbox does with `to`, or undefined when it is not a reserved destination.
 * Numbers: `+1 NPA 555 0100`–`0119` deliver, `0120`–`0129` fail, `0130`–`0139` stay silent,
 * `0140`–`0149` time out, `0150`–`0159` are invalid, `0160`–`0169` find the provider down.
 * Addresses: `<behaviour>@sandbox.test`, with an optional `+tag` (`deliver+alice@sandbox.test`).
 *
 * @example
 * sandboxBehaviour('+14155550123') // 'fail'
 * sandboxBehaviour('timeout+bob@sandbox.test') // 'timeout'
 */
export function sandboxBehaviour(to: string): SandboxBehaviour | undefined {
  const number = NUMBER.exec(to);
  if (number !== null) {
    const last = Number(number[1]);
    return SANDBOX_NUMBER_RANGES.find((range) => last >= range.from && last <= range.to)?.behaviour;
  }
  const email = EMAIL.exec(to);
  const local = email?.[1]?.toLowerCase();
  return local !== undefined && EMAIL_BEHAVIOURS.has(local)
    ? (local as SandboxBehaviour)
    : undefined;
}
