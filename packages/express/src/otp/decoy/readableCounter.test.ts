import { createCheckpoint, outboxChannel } from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../testing/otpTestApp.js';
import { hasMarker, readableCounter, setMarker } from './readableCounter.js';

function checkpointWithClock() {
  const clock = new ManualClock();
  return {
    clock,
    checkpoint: createCheckpoint({ secret: TEST_SECRET, channels: [outboxChannel()], clock }),
  };
}

describe('readableCounter', () => {
  it('tells how many events came before, up to its maximum, and stops counting there', async () => {
    const { checkpoint } = checkpointWithClock();
    const counter = { key: 'test.a', max: 3, windowSeconds: 60, cost: 1 as const };
    const seen = [];
    for (let i = 0; i < 5; i += 1) seen.push(await readableCounter(checkpoint, counter));
    expect(seen).toEqual([0, 1, 2, 3, 3]);
  });

  it('reads without counting at cost 0', async () => {
    const { checkpoint } = checkpointWithClock();
    const counter = { key: 'test.b', max: 4, windowSeconds: 60 };
    await readableCounter(checkpoint, { ...counter, cost: 1 });
    await readableCounter(checkpoint, { ...counter, cost: 1 });
    expect(await readableCounter(checkpoint, { ...counter, cost: 0 })).toBe(2);
    expect(await readableCounter(checkpoint, { ...counter, cost: 0 })).toBe(2);
  });

  it('starts again when its window ends', async () => {
    const { checkpoint, clock } = checkpointWithClock();
    const counter = { key: 'test.c', max: 2, windowSeconds: 60, cost: 1 as const };
    await readableCounter(checkpoint, counter);
    await clock.advance(60_000);
    expect(await readableCounter(checkpoint, counter)).toBe(0);
  });
});

describe('markers', () => {
  it('are present from their setting until their window ends, with the time left', async () => {
    const { checkpoint, clock } = checkpointWithClock();
    expect(await hasMarker(checkpoint, 'test.m', 30)).toEqual({ present: false });
    await setMarker(checkpoint, 'test.m', 30);
    await clock.advance(10_000);
    expect(await hasMarker(checkpoint, 'test.m', 30)).toEqual({ present: true, retryAfter: 20 });
    await clock.advance(20_000);
    expect(await hasMarker(checkpoint, 'test.m', 30)).toEqual({ present: false });
  });
});
