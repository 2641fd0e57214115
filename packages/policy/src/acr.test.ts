import { describe, expect, it } from 'vitest';
import { ACR, aalFromAcr, acrValuesFor } from './acr.js';

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

describe('acrValuesFor', () => {
  it.each([
    [
      1,
      false,
      ['urn:checkpoint:aal1', 'urn:checkpoint:aal2', 'phr', 'urn:checkpoint:aal3', 'phrh'],
    ],
    [2, false, ['urn:checkpoint:aal2', 'phr', 'urn:checkpoint:aal3', 'phrh']],
    [3, false, ['urn:checkpoint:aal3', 'phrh']],
    [1, true, ['phr', 'urn:checkpoint:aal3', 'phrh']],
    [2, true, ['phr', 'urn:checkpoint:aal3', 'phrh']],
    [3, true, ['urn:checkpoint:aal3', 'phrh']],
  ] as const)(
    'lists for AAL%i (phishing-resistant: %s) every value that satisfies it, weakest first',
    (aal, phishingResistant, values) => {
      expect(acrValuesFor(aal, { phishingResistant })).toEqual(values);
    },
  );

  it('puts the value that names the required level first', () => {
    for (const aal of [1, 2, 3] as const) expect(acrValuesFor(aal)[0]).toBe(ACR[`aal${aal}`]);
  });

  it.each([0, 4, undefined])('throws a TypeError that says what to pass for aal %s', (aal) => {
    expect(() => acrValuesFor(loose(aal))).toThrow(/acrValuesFor\(aal\) must be 1, 2 or 3/);
  });
});

describe('aalFromAcr', () => {
  it('round-trips: every value offered for an AAL reads back as at least that AAL', () => {
    for (const aal of [1, 2, 3] as const) {
      expect(aalFromAcr(acrValuesFor(aal)[0])).toBe(aal);
      for (const acr of acrValuesFor(aal)) expect(aalFromAcr(acr)).toBeGreaterThanOrEqual(aal);
    }
  });

  it("reads the EAP values as Checkpoint emits them: 'phr' AAL2, 'phrh' AAL3", () => {
    expect(aalFromAcr('phr')).toBe(2);
    expect(aalFromAcr('phrh')).toBe(3);
  });

  it('knows nothing else, including other vocabularies and prototype names', () => {
    for (const acr of [
      'http://idmanagement.gov/ns/assurance/aal/3',
      'urn:checkpoint:aal4',
      'URN:CHECKPOINT:AAL2',
      '',
      'toString',
      '__proto__',
      undefined,
    ]) {
      expect(aalFromAcr(acr)).toBeUndefined();
    }
  });
});
