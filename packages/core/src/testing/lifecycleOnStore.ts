import { describe, expect, it } from 'vitest';
import type { Channel } from '../channels/Channel.js';
import { outboxChannel } from '../channels/outboxChannel.js';
import { MemoryAuditLog } from '../audit/MemoryAuditLog.js';
import { createCheckpoint } from '../lifecycle/createCheckpoint.js';
import { ManualClock } from './ManualClock.js';
import type { StoreConformanceOptions } from './storeConformance.js';

const SECRET = 'conformance-suite-secret-0123456789abcdef';

/** @internal The lifecycle rules, run through createCheckpoint on the store under test. */
export function describeLifecycleOnStore({ create, destroy, dump }: StoreConformanceOptions): void {
  const setup = async () => {
    const store = await create();
    const clock = new ManualClock();
    const sms = outboxChannel({ name: 'sms' });
    const voice = outboxChannel({ name: 'voice' });
    const auditLog = new MemoryAuditLog();
    const checkpoint = createCheckpoint({
      secret: SECRET,
      channels: [sms, voice] as Channel[],
      store,
      clock,
      auditLog,
    });
    // A fresh number per test keeps per-destination counters of a shared store apart.
    const to = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const codeOf = (): string => sms.latest(to)?.code ?? '';
    return { store, clock, sms, voice, auditLog, checkpoint, to, codeOf };
  };
  type Setup = Awaited<ReturnType<typeof setup>>;
  const withSetup = (run: (s: Setup) => Promise<void>) => async () => {
    const s = await setup();
    try {
      await run(s);
    } finally {
      await s.checkpoint.close();
      await destroy?.(s.store);
    }
  };

  describe('lifecycle on this store', () => {
    it(
      'approves the code that was sent, once',
      withSetup(async ({ checkpoint, to, codeOf }) => {
        const { id } = await checkpoint.send({ to, purpose: 'signup' });
        expect(await checkpoint.check({ id, code: codeOf() })).toMatchObject({
          status: 'approved',
        });
        await expect(checkpoint.check({ id, code: codeOf() })).rejects.toMatchObject({
          code: 'not_found',
        });
      }),
    );

    it(
      'evaluates exactly maxAttempts of 200 concurrent wrong checks and ends in max_attempts',
      withSetup(async ({ checkpoint, to, codeOf }) => {
        const { id } = await checkpoint.send({ to, purpose: 'login' });
        const wrong = codeOf() === '000000' ? '000001' : '000000';
        const results = await Promise.all(
          Array.from({ length: 200 }, () => checkpoint.check({ id, code: wrong })),
        );
        const failed = results.filter((result) => result.status === 'failed');
        expect(failed.map((result) => result.remainingAttempts).sort()).toEqual([0, 1, 2, 3, 4]);
        expect(results.filter((result) => result.status === 'max_attempts')).toHaveLength(195);
        expect((await checkpoint.get(id)).status).toBe('max_attempts');
        expect(await checkpoint.check({ id, code: codeOf() })).toMatchObject({
          status: 'max_attempts',
        });
      }),
    );

    it(
      'gives exactly one approved among 50 concurrent correct checks',
      withSetup(async ({ checkpoint, to, codeOf }) => {
        const { id } = await checkpoint.send({ to, purpose: 'login' });
        const settled = await Promise.allSettled(
          Array.from({ length: 50 }, () => checkpoint.check({ id, code: codeOf() })),
        );
        const approved = settled.filter(
          (result) => result.status === 'fulfilled' && result.value.status === 'approved',
        );
        const notFound = settled.filter(
          (result) =>
            result.status === 'rejected' &&
            (result.reason as { code?: string }).code === 'not_found',
        );
        expect(approved).toHaveLength(1);
        expect(notFound).toHaveLength(49);
      }),
    );

    it(
      'never approves a code for another purpose, tenant or subject',
      withSetup(async ({ checkpoint, to, codeOf }) => {
        await checkpoint.configure('tenant-a', {});
        await checkpoint.configure('tenant-b', {});
        const { id } = await checkpoint.send({
          to,
          purpose: 'login',
          tenantId: 'tenant-a',
          subject: 'user-a',
        });
        const code = codeOf();
        for (const other of [
          { purpose: 'billing_change' },
          { tenantId: 'tenant-b' },
          { subject: 'user-b' },
        ]) {
          await expect(checkpoint.check({ id, code, ...other })).rejects.toMatchObject({
            code: 'not_found',
          });
        }
        expect((await checkpoint.get(id)).attempts).toBe(0);
        expect(
          await checkpoint.check({
            id,
            code,
            purpose: 'login',
            tenantId: 'tenant-a',
            subject: 'user-a',
          }),
        ).toMatchObject({ status: 'approved' });
      }),
    );

    it(
      'keeps every sent code valid and the attempts spent across a resend',
      withSetup(async ({ checkpoint, clock, to, codeOf, sms }) => {
        const { id } = await checkpoint.send({ to, purpose: 'login' });
        const first = codeOf();
        const wrong = first === '999999' ? '999998' : '999999';
        await checkpoint.check({ id, code: wrong });
        // The first message is delivered, so no fallback fires while the user waits out the cooldown.
        const [delivery] = (await checkpoint.get(id)).deliveries;
        await checkpoint.recordDelivery({
          channel: 'sms',
          providerMessageId: delivery?.providerMessageId ?? '',
          status: 'delivered',
        });
        await clock.advance(30_000);
        expect((await checkpoint.get(id)).sends).toBe(1);
        await checkpoint.resend(id);
        expect(sms.messages.filter((message) => message.to === to)).toHaveLength(2);
        const result = await checkpoint.check({ id, code: first });
        expect(result).toMatchObject({ status: 'approved', remainingAttempts: 3 });
      }),
    );

    it(
      'answers expired after the time to live',
      withSetup(async ({ checkpoint, clock, to, codeOf }) => {
        const { id } = await checkpoint.send({ to, purpose: 'login' });
        await clock.advance(600_000);
        expect(await checkpoint.check({ id, code: codeOf() })).toMatchObject({ status: 'expired' });
      }),
    );

    it(
      'keeps no plaintext code in the store',
      withSetup(async ({ checkpoint, store, to, codeOf }) => {
        const codes: string[] = [];
        for (let i = 0; i < 3; i += 1) {
          const { id } = await checkpoint.send({ to, purpose: `flow_${i}` });
          codes.push(codeOf());
          await checkpoint.check({ id, code: codes[i] === '000000' ? '000001' : '000000' });
        }
        if (dump === undefined) return;
        const contents = await dump(store);
        expect(contents.length).toBeGreaterThan(0);
        // The code as a token of its own: the same six digits inside a timestamp do not count.
        for (const code of codes)
          expect(contents).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
      }),
    );
  });
}
