import { ManualClock } from '@checkpoint/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { MemoryWebhookQueue } from './MemoryWebhookQueue.js';
import type { DeadLetter, WebhookDelivery } from './WebhookQueue.js';

const delivery = (id: string): WebhookDelivery => ({
  id,
  webhookId: `msg_${id}`,
  tenantId: 'acme',
  url: 'https://hooks.example.com/',
  type: 'verification.approved',
  body: '{}',
  attempt: 0,
  replays: 0,
  createdAt: 0,
});

const letter = (id: string, tenantId = 'acme'): DeadLetter => ({
  ...delivery(id),
  tenantId,
  attempts: 10,
  failedAt: 0,
  reason: 'retries_exhausted',
});

describe('MemoryWebhookQueue', () => {
  it('runs each delivery once its delay has passed', async () => {
    const clock = new ManualClock();
    const queue = new MemoryWebhookQueue({ clock });
    const ran: string[] = [];
    queue.start(async ({ id }) => {
      ran.push(id);
    });
    await queue.add(delivery('later'), 1_000);
    await queue.add(delivery('now'), 0);
    await clock.advance(999);
    expect(ran).toEqual(['now']);
    await clock.advance(1);
    expect(ran).toEqual(['now', 'later']);
    expect(queue.pending).toBe(0);
  });

  it('sends at most `concurrency` deliveries at once; the rest wait their turn', async () => {
    const queue = new MemoryWebhookQueue({ concurrency: 2 });
    const releases: Array<() => void> = [];
    const started: string[] = [];
    queue.start(
      ({ id }) =>
        new Promise<void>((resolve) => {
          started.push(id);
          releases.push(resolve);
        }),
    );
    for (const id of ['a', 'b', 'c']) await queue.add(delivery(id), 0);
    await vi.waitFor(() => expect(started).toEqual(['a', 'b']));
    expect(queue.pending).toBe(1);
    releases.shift()?.();
    await vi.waitFor(() => expect(started).toEqual(['a', 'b', 'c']));
    for (const release of releases.splice(0)) release();
    await queue.close();
  });

  it('keeps the newest dead letters per tenant and hands each out once', async () => {
    const queue = new MemoryWebhookQueue({ maxDeadLetters: 2 });
    for (const id of ['a', 'b', 'c']) await queue.addDeadLetter(letter(id));
    await queue.addDeadLetter(letter('z', 'other'));
    expect((await queue.deadLetters({ tenantId: 'acme' })).map((entry) => entry.id)).toEqual([
      'c',
      'b',
    ]);
    expect((await queue.deadLetters({ tenantId: 'other' })).map((entry) => entry.id)).toEqual([
      'z',
    ]);
    await expect(queue.takeDeadLetter('b')).resolves.toMatchObject({ id: 'b' });
    await expect(queue.takeDeadLetter('b')).resolves.toBeNull();
  });

  it('drops waiting deliveries on close', async () => {
    const clock = new ManualClock();
    const queue = new MemoryWebhookQueue({ clock });
    const ran: string[] = [];
    queue.start(async ({ id }) => {
      ran.push(id);
    });
    await queue.add(delivery('a'), 10);
    await queue.close();
    await queue.add(delivery('b'), 0);
    await clock.advance(100);
    expect(ran).toEqual([]);
  });
});
