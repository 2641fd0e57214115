// Budget: the pumping guards ride in the send's one store step, and cost an approval one call more.
import { describe, expect, it } from 'vitest';
import type {
  CounterReadResult,
  CounterReads,
  CounterRule,
  SendGuard,
  TransitionInput,
  VerificationRecord,
} from '../index.js';
import { MemoryStore, pumpingGuards } from '../index.js';
import { harness } from '../testing/harness.js';

interface Call {
  method: 'hitCounters' | 'create' | 'optOuts' | 'transition';
  rules?: readonly CounterRule[];
  reads?: CounterReads;
}

/** A MemoryStore that notes the calls a send or a check makes to count, read opt-outs and create. */
class CallCountingStore extends MemoryStore {
  calls: Call[] = [];

  override hitCounters(
    rules: readonly CounterRule[],
    now: number,
    reads?: CounterReads,
  ): Promise<CounterReadResult> {
    this.calls.push({ method: 'hitCounters', rules, ...(reads === undefined ? {} : { reads }) });
    return super.hitCounters(rules, now, reads);
  }

  override create(record: VerificationRecord): Promise<void> {
    this.calls.push({ method: 'create' });
    return super.create(record);
  }

  override optOuts(tenantId: string, destinationHash: string): Promise<string[]> {
    this.calls.push({ method: 'optOuts' });
    return super.optOuts(tenantId, destinationHash);
  }

  override transition(input: TransitionInput) {
    this.calls.push({ method: 'transition' });
    return super.transition(input);
  }

  take(): Call[] {
    const taken = this.calls;
    this.calls = [];
    return taken;
  }
}

/** The next turn of the event loop, when queued approvals go out on their own. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function callsOf(guards: readonly SendGuard[], context: { ip?: string }) {
  const store = new CallCountingStore();
  const { checkpoint, codeFor } = harness({ store, guards });
  const { id } = await checkpoint.send({ to: '+447400123456', purpose: 'signup', context });
  const send = store.take();
  await checkpoint.check({ id, code: codeFor('+447400123456') });
  const check = store.take();
  await nextTurn();
  return { send, check, after: store.take() };
}

describe('store calls of the pumping guards', () => {
  it('make an allowed send one hitCounters call: counters, opt-outs, create and tallies together', async () => {
    const { send } = await callsOf(pumpingGuards(), { ip: '203.0.113.9' });
    expect(send.map((call) => call.method)).toEqual(['hitCounters']);
    const { rules = [], reads } = send[0] ?? { method: 'hitCounters' };
    expect(rules.some((rule) => rule.key.startsWith('pb:'))).toBe(true);
    expect(rules.some((rule) => rule.key.startsWith('nb:'))).toBe(true);
    expect(rules.some((rule) => rule.key.startsWith('dest:'))).toBe(true);
    expect(reads?.optOuts).toBeDefined();
    expect(reads?.create).toBeDefined();
    // Sends and approvals of the number's block, the client's network and the country.
    expect(reads?.tallies?.map((op) => op.family)).toEqual(['s', 'a', 's', 'a', 's', 'a']);
    expect(reads?.tallies?.filter((op) => op.add !== undefined)).toHaveLength(3);
  });

  it('answer an approving check after its own store call; its approval tallies follow on the next turn', async () => {
    const baseline = await callsOf([], { ip: '203.0.113.9' });
    const guarded = await callsOf(pumpingGuards(), { ip: '203.0.113.9' });
    expect(guarded.send).toHaveLength(baseline.send.length);
    expect(guarded.check).toEqual(baseline.check);
    expect(baseline.after).toEqual([]);
    expect(guarded.after.map((call) => call.method)).toEqual(['hitCounters']);
    const approval = guarded.after[0];
    expect(approval?.rules).toEqual([]);
    expect(approval?.reads?.create).toBeUndefined();
    // The block, the country and the network the code was sent from.
    expect(approval?.reads?.tallies?.map((op) => [op.family, op.add?.count])).toEqual([
      ['a', 1],
      ['a', 1],
      ['a', 1],
    ]);
  });

  it('send the approvals of one turn merged, or with the next send when it comes first', async () => {
    const store = new CallCountingStore();
    const { checkpoint, codeFor } = harness({ store });
    const numbers = ['+447400123456', '+447400123457', '+447400123458'];
    const ids: string[] = [];
    for (const to of numbers)
      ids.push(
        (await checkpoint.send({ to, purpose: 'signup', context: { ip: '203.0.113.9' } })).id,
      );
    store.take();
    await Promise.all(
      ids.map((id, i) => checkpoint.check({ id, code: codeFor(numbers[i] ?? '') })),
    );
    await nextTurn();
    // One call: three approvals of one block, network and country, in one minute's bucket.
    const [merged, ...none] = store.take();
    expect(none).toEqual([]);
    expect(merged?.reads?.tallies?.map((op) => op.add?.count)).toEqual([3, 3, 3]);
    // An approval followed by a send in the same turn rides in the send's one call.
    const { id } = await checkpoint.send({ to: '+447400123459', purpose: 'signup' });
    store.take();
    await checkpoint.check({ id, code: codeFor('+447400123459') });
    await checkpoint.send({ to: '+447400123460', purpose: 'signup' });
    await nextTurn();
    const calls = store.take();
    expect(calls.map((call) => call.method)).toEqual(['hitCounters']);
    expect(
      calls[0]?.reads?.tallies?.filter((op) => op.family === 'a' && op.add?.always === true),
    ).toHaveLength(2);
  });

  it('count no network for a send without a client IP, in the same one call', async () => {
    const { send, after } = await callsOf(pumpingGuards(), {});
    expect(send.map((call) => call.method)).toEqual(['hitCounters']);
    const { rules = [], reads } = send[0] ?? { method: 'hitCounters' };
    expect(rules.some((rule) => rule.key.startsWith('nb:'))).toBe(false);
    expect(reads?.tallies).toHaveLength(4);
    expect(after.at(-1)?.reads?.tallies).toHaveLength(2);
  });

  it('make a send the burst limit refuses one call, creating nothing', async () => {
    const store = new CallCountingStore();
    const { checkpoint } = harness({ store });
    await checkpoint.configure('default', {
      pumping: { prefixBurst: { limit: 1, windowSeconds: 600 } },
    });
    await checkpoint.send({ to: '+447400123456', purpose: 'signup' });
    store.take();
    await expect(checkpoint.send({ to: '+447400123457', purpose: 'signup' })).rejects.toMatchObject(
      { reasons: ['pumping:prefix_burst'] },
    );
    expect(store.take().map((call) => call.method)).toEqual(['hitCounters']);
  });
});
