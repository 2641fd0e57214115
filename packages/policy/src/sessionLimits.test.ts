import { describe, expect, it } from 'vitest';
import { SESSION_LIMITS, sessionExpired, sessionLimits } from './sessionLimits.js';

const t0 = Date.UTC(2026, 10, 22, 12);
const SECOND = 1_000;

/** Hands an arbitrary value to a typed parameter: the point of these tests is misuse. */
const loose = <T>(value: unknown): T => value as T;

describe('sessionLimits', () => {
  it.each([
    [1, 30 * 86_400, 30 * 86_400],
    [2, 3_600, 86_400],
    [3, 900, 43_200],
  ] as const)(
    'gives AAL%i sessions %i s of inactivity and %i s in all',
    (aal, inactivitySeconds, absoluteSeconds) => {
      expect(sessionLimits(aal)).toEqual({ inactivitySeconds, absoluteSeconds });
    },
  );

  it('returns a copy, so changing it does not change the defaults', () => {
    const limits = sessionLimits(2);
    limits.inactivitySeconds = 1;
    expect(SESSION_LIMITS[2].inactivitySeconds).toBe(3_600);
    expect(Object.isFrozen(SESSION_LIMITS[2])).toBe(true);
  });

  it.each([0, 4, '2', undefined])('throws a TypeError that says what to pass for aal %s', (aal) => {
    expect(() => sessionLimits(loose(aal))).toThrow(/sessionLimits\(aal\) must be 1, 2 or 3/);
  });
});

describe('sessionExpired', () => {
  it.each([
    [2, 'inactivity', 3_600],
    [3, 'inactivity', 900],
    [1, 'inactivity', 30 * 86_400],
  ] as const)(
    'keeps an AAL%i session alive at exactly the %s limit and ends it 1 ms later',
    (aal, _limit, seconds) => {
      const session = { aal, startedAt: t0, lastActivityAt: t0 };
      expect(sessionExpired(session, t0 + seconds * SECOND)).toEqual({ expired: false });
      const after = sessionExpired(session, t0 + seconds * SECOND + 1);
      // AAL1's two limits are equal: the absolute one is reported first.
      expect(after).toEqual({ expired: true, limit: aal === 1 ? 'absolute' : 'inactivity' });
    },
  );

  it.each([
    [2, 86_400],
    [3, 43_200],
  ] as const)(
    'ends an active AAL%i session 1 ms after its absolute limit of %i s',
    (aal, seconds) => {
      const end = t0 + seconds * SECOND;
      expect(sessionExpired({ aal, startedAt: t0, lastActivityAt: end - SECOND }, end)).toEqual({
        expired: false,
      });
      expect(sessionExpired({ aal, startedAt: t0, lastActivityAt: end - SECOND }, end + 1)).toEqual(
        {
          expired: true,
          limit: 'absolute',
        },
      );
    },
  );

  it('reports the absolute limit when both have passed', () => {
    expect(
      sessionExpired({ aal: 2, startedAt: t0, lastActivityAt: t0 }, t0 + 2 * 86_400 * SECOND),
    ).toEqual({
      expired: true,
      limit: 'absolute',
    });
  });

  it('measures inactivity from the start when the recorded activity predates it', () => {
    const session = { aal: 2 as const, startedAt: t0, lastActivityAt: t0 - 86_400 * SECOND };
    expect(sessionExpired(session, t0 + 3_600 * SECOND)).toEqual({ expired: false });
  });

  it('counts times after now (clock skew between servers) as no time elapsed', () => {
    expect(
      sessionExpired({ aal: 3, startedAt: t0 + 5 * SECOND, lastActivityAt: t0 + 5 * SECOND }, t0),
    ).toEqual({
      expired: false,
    });
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['no session', undefined, t0, /needs \{ aal, startedAt, lastActivityAt \}/],
    ['aal 0', { aal: 0, startedAt: t0, lastActivityAt: t0 }, t0, /session\.aal must be 1, 2 or 3/],
    [
      'a start that is not a number',
      { aal: 2, startedAt: 'x', lastActivityAt: t0 },
      t0,
      /startedAt and session\.lastActivityAt in epoch milliseconds/,
    ],
    [
      'no time',
      { aal: 2, startedAt: t0, lastActivityAt: t0 },
      undefined,
      /sessionExpired needs now/,
    ],
  ])('throws a TypeError that says what to pass for %s', (_name, session, now, message) => {
    expect(() => sessionExpired(loose(session), loose(now))).toThrow(TypeError);
    expect(() => sessionExpired(loose(session), loose(now))).toThrow(message);
  });
});
