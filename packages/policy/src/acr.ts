import type { Aal } from './Factor.js';
import { checkAal } from './guards.js';

/**
 * Checkpoint's acr vocabulary for RFC 9470 challenges and tokens: one URN per AAL, plus the
 * OpenID EAP values, which mean here what Checkpoint emits them for: `phr` = AAL2 reached
 * phishing-resistantly (a synced passkey), `phrh` = AAL3 (hardware-protected key).
 *
 * @example ACR.aal2; // 'urn:checkpoint:aal2'
 * @see RFC 9470 §3; OpenID Connect EAP ACR Values 1.0 (phr, phrh)
 */
export const ACR = Object.freeze({
  aal1: 'urn:checkpoint:aal1',
  aal2: 'urn:checkpoint:aal2',
  aal3: 'urn:checkpoint:aal3',
  phr: 'phr',
  phrh: 'phrh',
} as const);

const MEANING: Readonly<Record<string, { aal: Aal; phishingResistant: boolean }>> = Object.freeze({
  [ACR.aal1]: { aal: 1, phishingResistant: false },
  [ACR.aal2]: { aal: 2, phishingResistant: false },
  [ACR.phr]: { aal: 2, phishingResistant: true },
  [ACR.aal3]: { aal: 3, phishingResistant: true },
  [ACR.phrh]: { aal: 3, phishingResistant: true },
});

// Weakest acceptable first: RFC 9470 lists acr_values in order of preference, any one satisfies.
const ORDER: readonly string[] = [ACR.aal1, ACR.aal2, ACR.phr, ACR.aal3, ACR.phrh];

/**
 * The acr values any one of which satisfies `aal` (and phishing resistance when asked), for the
 * `acr_values` of an RFC 9470 challenge, the weakest acceptable first.
 *
 * @example acrValuesFor(2); // ['urn:checkpoint:aal2', 'phr', 'urn:checkpoint:aal3', 'phrh']
 * @see RFC 9470 §3; OpenID Connect Core 1.0 §3.1.2.1 (acr_values)
 */
export function acrValuesFor(
  aal: Aal,
  { phishingResistant = false }: { phishingResistant?: boolean } = {},
): string[] {
  const required = checkAal(aal, 'acrValuesFor(aal)');
  return ORDER.filter((acr) => {
    const meaning = MEANING[acr];
    return (
      meaning !== undefined &&
      meaning.aal >= required &&
      (!phishingResistant || meaning.phishingResistant)
    );
  });
}

/**
 * The AAL an acr of Checkpoint's vocabulary stands for; undefined for anything else. Never use it
 * to trust an IdP's acr: that goes through the tenant's `trustedIdps` (see assuranceOf).
 *
 * @example aalFromAcr('urn:checkpoint:aal3'); // 3
 * @see RFC 9470 §3; OWASP ASVS 5 V6.8.4
 */
export function aalFromAcr(acr: string | undefined): Aal | undefined {
  return typeof acr === 'string' && Object.hasOwn(MEANING, acr) ? MEANING[acr]?.aal : undefined;
}
