import type { CounterResult, CounterRule } from '../store/Store.js';

/**
 * @internal
 * Conversion counters on plain Store counters (`hitCounters`), with no Store method added.
 *
 * Sends and approvals of a scope (a prefix block or a country) are counted in windows of
 * `windowSeconds`, in two series offset by half a window; the series whose window is older (at
 * least half a window) judges, so a fresh window is never judged before its approvals had time to
 * arrive, and the judged window always covers the last half window or more. An approval is
 * credited to the windows of its verification's send time, never to later ones.
 *
 * A Store counter answers only "below this limit?". To read a count in one call, each window
 * keeps the same count under `levels` keys whose windows differ by one second each; a probe with
 * cost 0 asks every key against its own limit, and a refusal names the refusing key with the
 * longest wait — the highest level reached (both stores report that key; it is the one whose
 * `retryAfter` is the refusal's). Levels are `minSends × 2^k`: conversion is judged at each
 * doubling of volume.
 */
export interface LadderShape {
  windowSeconds: number;
  levels: number;
}

/** Counts are far from any limit: these rules only count. */
const UNLIMITED = 1_000_000_000;

/** @internal The window of each series holding `at`; series 1 starts half a window later. */
export function windowsAt(at: number, windowSeconds: number): [number, number] {
  const length = windowSeconds * 1_000;
  return [Math.floor(at / length), Math.floor((at - length / 2) / length)];
}

/** @internal The series that judges at `now`: the one whose current window is older. */
export function judgedSeries(
  now: number,
  windowSeconds: number,
): { series: 0 | 1; window: number } {
  const length = windowSeconds * 1_000;
  const [first, second] = windowsAt(now, windowSeconds);
  const ageFirst = now - first * length;
  const ageSecond = now - (second * length + length / 2);
  return ageFirst >= ageSecond ? { series: 0, window: first } : { series: 1, window: second };
}

function key(
  family: 's' | 'a',
  scopeId: string,
  series: number,
  window: number,
  level: number,
): string {
  return `pc${family}:${scopeId}:${series}.${window}.${level}`;
}

/**
 * @internal Rules adding one send (`s`) or approval (`a`) at time `at` to both series of a scope.
 * Each level key lives one second longer than the one below it and at least a full window.
 */
export function countRules(
  family: 's' | 'a',
  scopeId: string,
  at: number,
  { windowSeconds, levels }: LadderShape,
): CounterRule[] {
  const rules: CounterRule[] = [];
  windowsAt(at, windowSeconds).forEach((window, series) => {
    for (let level = 1; level <= levels; level += 1) {
      rules.push({
        key: key(family, scopeId, series, window, level),
        limit: UNLIMITED,
        windowSeconds: windowSeconds + level,
        cost: 1,
      });
    }
  });
  return rules;
}

/** @internal Cost-0 rules asking the judged window whether each level's limit is reached. */
export function probeRules(
  family: 's' | 'a',
  scopeId: string,
  now: number,
  limits: readonly number[],
  { windowSeconds }: LadderShape,
): CounterRule[] {
  const { series, window } = judgedSeries(now, windowSeconds);
  return limits.map((limit, index) => ({
    key: key(family, scopeId, series, window, index + 1),
    limit,
    windowSeconds: windowSeconds + index + 1,
    cost: 0,
  }));
}

/** @internal The highest level whose limit a probe found reached (0 for none). */
export function levelReached(result: CounterResult): number {
  if (result.allowed) return 0;
  const level = Number(result.key.slice(result.key.lastIndexOf('.') + 1));
  return Number.isInteger(level) ? level : 0;
}

/** @internal Volume steps `minSends × 2^k` and the approvals each needs at `minPercent`. */
export function ladderLimits(
  minSends: number,
  minPercent: number,
  levels: number,
): { sends: number[]; approvals: number[] } {
  const sends = Array.from({ length: levels }, (_, k) => minSends * 2 ** k);
  return {
    sends,
    approvals: sends.map((count) => Math.max(1, Math.ceil((count * minPercent) / 100))),
  };
}
