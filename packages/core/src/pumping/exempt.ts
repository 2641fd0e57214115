import type { PumpingConfig } from './PumpingConfig.js';

/** NANP numbers reserved for fiction, `+1 NPA 555 0100`–`0199`: no carrier bills a message to them. */
const FICTION = /^\+1[2-9]\d{2}55501\d{2}$/;

/** @internal Whether the tenant allows a number past every pumping guard (`pumping.allow`, numbers or prefixes). */
export function allowedByTenant(e164: string, policy: PumpingConfig): boolean {
  return policy.allow.some((entry) => e164.startsWith(entry));
}

/**
 * @internal
 * Whether the counting guards leave a number alone: one the tenant allows, or a NANP fiction
 * number (the sandbox channel's reserved numbers), which nobody can be paid for. Line-type gating
 * still applies to fiction numbers: `+1 900 555 0100` is a premium-rate number all the same.
 */
export function uncounted(e164: string, policy: PumpingConfig): boolean {
  return FICTION.test(e164) || allowedByTenant(e164, policy);
}
