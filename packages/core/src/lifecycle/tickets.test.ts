import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/MemoryStore.js';
import { harness } from '../testing/harness.js';

describe('checkpoint.tickets', () => {
  it('keeps a value on the Checkpoint clock: read many times, taken once', async () => {
    const { checkpoint, clock } = harness();
    expect(await checkpoint.tickets.put({ key: 't:1', value: 'v', ttlSeconds: 10 })).toBe(true);
    expect(await checkpoint.tickets.put({ key: 't:1', value: 'w', ttlSeconds: 10 })).toBe(false);
    expect(await checkpoint.tickets.read('t:1')).toBe('v');
    expect(await checkpoint.tickets.read('t:1')).toBe('v');
    expect(await checkpoint.tickets.take('t:1')).toBe('v');
    expect(await checkpoint.tickets.take('t:1')).toBeNull();
    await checkpoint.tickets.put({ key: 't:2', value: 'v', ttlSeconds: 10 });
    await clock.advance(10_000);
    expect(await checkpoint.tickets.read('t:2')).toBeNull();
  });

  it('replaces a marker when asked to', async () => {
    const { checkpoint } = harness();
    await checkpoint.tickets.put({ key: 'm', value: '1', ttlSeconds: 10 });
    await checkpoint.tickets.put({ key: 'm', value: '2', ttlSeconds: 10, replace: true });
    expect(await checkpoint.tickets.read('m')).toBe('2');
  });

  it('refuses bad keys as invalid_request and a store failure as store_unavailable', async () => {
    const store = new MemoryStore();
    const { checkpoint } = harness({ store });
    await expect(checkpoint.tickets.take('')).rejects.toMatchObject({ code: 'invalid_request' });
    store.readTicket = () => Promise.reject(new Error('connection lost'));
    await expect(checkpoint.tickets.read('m')).rejects.toMatchObject({
      code: 'store_unavailable',
    });
  });

  it('lists the channels with their media', () => {
    const { checkpoint } = harness();
    expect(checkpoint.channels.length).toBeGreaterThan(0);
    for (const channel of checkpoint.channels) {
      expect(['sms', 'voice', 'whatsapp', 'email', 'phone']).toContain(channel.medium);
    }
  });
});
