// `pnpm bench`: measures Checkpoint on MemoryStore and RedisStore against a bare ioredis EVALSHA
// loop, and otpRouter / a Passport login over HTTP against a bare Express endpoint with one Redis
// call (http/), side by side in one process and one run, and prints ratios. A benchmark, not a test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Channel,
  type CounterRule,
  createCheckpoint,
  MemoryStore,
  outboxChannel,
  type Scheduler,
  type Store,
  silentLogger,
  systemClock,
  type TallyOp,
  trafficGuard,
  type VerificationRecord,
} from '@checkpoint/core';
import { makeRecord } from '@checkpoint/core/testing';
import { RedisStore, redisOptions } from '@checkpoint/redis';
import { deleteByPrefix, startRedisServer, testPrefix } from '@checkpoint/redis/testing';
import { Redis } from 'ioredis';
import { benchHttp, httpTable } from './http/bench.js';
import { combine, type Measurement, measure } from './measure.js';
import { referenceScript } from './reference.js';
import { benchAuditExport, exportTable, memoryExportSink } from './audit/exportBench.js';
import { benchPumping, pumpingTable } from './pumping/bench.js';
import { postgresExportSink } from '@checkpoint/postgres/testing';
import { BENCH_PUMPING } from './pumpingThresholds.js';
import { createHmac } from 'node:crypto';

const SECRET = 'bench-secret-0123456789abcdefghijklmnop';
const OPS = { 1: 6_000, 50: 30_000 } as const;
const ROUNDS = 3;
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  node: process.version,
};

// Timers are not what is measured here: a scheduler that keeps none.
const noTimers: Scheduler = {
  setHandler: () => undefined,
  schedule: async () => undefined,
  cancel: async () => undefined,
  close: async () => undefined,
};

const external = process.env.REDIS_URL;
// BENCH_ONLY=http runs the HTTP section alone (for profiling); the README's figures come from a full run.
const httpOnly = process.env.BENCH_ONLY === 'http';
const server = external ? undefined : await startRedisServer();
const url = external ?? server?.url ?? '';
const redis = new Redis(url, {
  ...redisOptions({ commandTimeout: 10_000 }),
  enableOfflineQueue: true,
});
const prefix = testPrefix('bench');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

try {
  log(
    `Checkpoint bench — Node ${process.version}, Redis at ${url}${external ? ' (REDIS_URL)' : ' (private)'}\n`,
  );
  const rows: Array<[string, number, Measurement, Measurement | undefined]> = [];

  // Core on MemoryStore: the ceiling of the library's own work.
  if (!httpOnly) {
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = unlimited(new MemoryStore(), sms);
    const ids = await sendMany(await checkpoint, sms, 20_000);
    const cp = await checkpoint;
    const memory = await measure(20_000, 50, (i) =>
      cp.check({ id: ids[i]?.id ?? '', code: ids[i]?.code ?? '' }),
    );
    log(`core check on MemoryStore: ${memory.opsPerSecond.toFixed(0)} ops/s`);
    results.memoryStoreCheck = combine([memory]);
  }

  for (const concurrency of httpOnly ? [] : ([1, 50] as const)) {
    const total = OPS[concurrency];
    const reference = referenceScript(redis);
    await redis.set(`${prefix}{ref}:v`, 'x'.repeat(150));
    await measure(2_000, concurrency, () => reference(`${prefix}{ref}:v`)); // warm-up
    const store = new RedisStore({ redis, prefix, cacheTenantConfig: true });
    await warmUp(store, concurrency);
    const sms = outboxChannel({ name: 'sms' });
    const checkpoint = await unlimited(store, sms);
    const pumping = trafficGuard();
    pumping.attach({
      hitCounters: (rules, now, reads) => store.hitCounters(rules, now, reads),
      audit: async () => '',
      hash: (kind, value) =>
        createHmac('sha256', SECRET).update(`${kind}\0${value}`).digest('base64url').slice(0, 22),
      clock: systemClock,
      logger: silentLogger,
    });

    // Rounds interleave the reference with the measured operations, so a slow patch of the
    // machine weighs on both sides of a ratio alike.
    const parts: Record<
      'ref' | 'storeCheck' | 'storeSend' | 'storeSendGuarded' | 'coreCheck' | 'coreSend',
      Measurement[]
    > = {
      ref: [],
      storeCheck: [],
      storeSend: [],
      storeSendGuarded: [],
      coreCheck: [],
      coreSend: [],
    };
    const perRound = Math.floor(total / ROUNDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      parts.ref.push(await measure(perRound, concurrency, () => reference(`${prefix}{ref}:v`)));

      // Store level: send's store work (velocity counters, the opt-out read and the create, in
      // one script as a send with pure guards makes it), then one check script per operation
      // (the approving path).
      const records = Array.from({ length: perRound }, (_, i) =>
        makeRecord({
          createdAt: Date.now(),
          lastSentAt: Date.now(),
          expiresAt: Date.now() + 600_000,
          subject: `u${i}`,
        }),
      );
      parts.storeSend.push(
        await measure(perRound, concurrency, async (i) => {
          const record = records[i] ?? makeRecord();
          await sendWork(store, record, [
            { key: `dest:${record.destinationHash}:600`, limit: 5, windowSeconds: 600, cost: 1 },
            { key: `ip:bench${i % 100}:600`, limit: 1e9, windowSeconds: 600, cost: 1 },
          ]);
        }),
      );
      // The same with the default pumping defence's counters and tallies in the script, as the
      // default guards hand them over for each send (one address per /24 of 200).
      const config = await checkpoint.config('default');
      const guarded = Array.from({ length: perRound }, (_, i) =>
        makeRecord({
          createdAt: Date.now(),
          lastSentAt: Date.now(),
          expiresAt: Date.now() + 600_000,
          subject: `g${i}`,
          to: { phone: { e164: phone(round * perRound + i), country: 'US', callingCode: '1' } },
        }),
      );
      parts.storeSendGuarded.push(
        await measure(perRound, concurrency, async (i) => {
          const record = guarded[i] ?? makeRecord();
          const counted = pumping.count?.({
            tenantId: 'default',
            purpose: 'login',
            destination: record.to,
            destinationHash: record.destinationHash,
            context: { ip: `198.51.${i % 200}.7` },
            config,
            lookup: undefined,
            now: Date.now(),
          });
          await sendWork(
            store,
            record,
            [
              { key: `dest:${record.destinationHash}:600`, limit: 5, windowSeconds: 600, cost: 1 },
              { key: `ip:bench${i % 100}:600`, limit: 1e9, windowSeconds: 600, cost: 1 },
              ...(counted?.rules.map((entry) => entry.rule) ?? []),
            ],
            counted?.tallies,
          );
        }),
      );
      parts.storeCheck.push(
        await measure(perRound, concurrency, (i) =>
          store.check({
            id: records[i]?.id ?? '',
            candidates: ['h:123456'],
            binding: {},
            now: Date.now(),
          }),
        ),
      );

      // Core level over RedisStore: the full send (outbox channel, no channel I/O) and check.
      const sent: Array<{ id: string; code: string }> = [];
      parts.coreSend.push(
        await measure(perRound, concurrency, async (i) => {
          const to = phone(concurrency * 1_000_000 + round * perRound + i);
          const { id } = await checkpoint.send({
            to,
            purpose: 'login',
            context: { ip: '203.0.113.9' },
          });
          sent[i] = { id, code: sms.latest(to)?.code ?? '' };
        }),
      );
      parts.coreCheck.push(
        await measure(perRound, concurrency, (i) =>
          checkpoint.check({ id: sent[i]?.id ?? '', code: sent[i]?.code ?? '' }),
        ),
      );
      sms.clear();
    }
    const ref = combine(parts.ref);
    const storeCheck = combine(parts.storeCheck);
    const storeSend = combine(parts.storeSend);
    const storeSendGuarded = combine(parts.storeSendGuarded);
    const coreCheck = combine(parts.coreCheck);
    const coreSend = combine(parts.coreSend);
    rows.push([`bare EVALSHA (reference)`, concurrency, ref, undefined]);
    rows.push([`RedisStore.check`, concurrency, storeCheck, ref]);
    rows.push([`RedisStore send work (counters, opt-outs, create)`, concurrency, storeSend, ref]);
    rows.push([
      `RedisStore send work with the default pumping defence`,
      concurrency,
      storeSendGuarded,
      ref,
    ]);
    rows.push([`checkpoint.check on RedisStore`, concurrency, coreCheck, ref]);
    rows.push([`checkpoint.send on RedisStore`, concurrency, coreSend, ref]);
    results[`c${concurrency}`] = {
      reference: ref,
      storeCheck,
      storeSend,
      storeSendGuarded,
      coreCheck,
      coreSend,
    };
    await store.close();
    await deleteByPrefix(redis, prefix);
  }

  log('\n| operation | concurrency | ops/s | p50 ms | p99 ms | ratio to reference |');
  log('|---|---:|---:|---:|---:|---:|');
  for (const [name, concurrency, m, ref] of rows) {
    const ratio = ref === undefined ? '1.00' : (m.opsPerSecond / ref.opsPerSecond).toFixed(2);
    log(
      `| ${name} | ${concurrency} | ${m.opsPerSecond.toFixed(0)} | ${m.p50Ms.toFixed(2)} | ${m.p99Ms.toFixed(2)} | ${ratio} |`,
    );
  }

  if (!httpOnly) {
    const bytes = await bytesPerPendingVerification();
    results.bytesPerPendingVerification = bytes;
    log(
      `\nRedis memory per pending verification (MEMORY USAGE over all its keys, Twilio-length message id): ${bytes.total} bytes (${bytes.keys.map((k) => `${k.kind} ${k.bytes}`).join(', ')})`,
    );
  }

  // HTTP: otpRouter and a Passport login against a bare Express endpoint with one Redis call.
  log('');
  const http = await benchHttp({ redis, url, secret: SECRET, log });
  results.http = http.json;
  log('');
  for (const line of httpTable(http)) log(line);

  // SMS-pumping simulation (issue 7): attack and legitimate traffic, fixed seeds, on RedisStore.
  if (!httpOnly) {
    log('');
    const pumping = await benchPumping({ redis, prefix: testPrefix('bench-pumping') });
    results.pumping = pumping;
    for (const line of pumpingTable(pumping)) log(line);
  }

  // Audit export (issue 8): 1,000,000 events streamed out as JSON lines and CSV; peak RSS.
  // BENCH_AUDIT_EVENTS lowers the count for a quick run. PostgreSQL first: the memory sink fills the heap.
  if (!httpOnly) {
    log('');
    const events = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
    const auditExport = await benchAuditExport({
      events,
      sinks: [postgresExportSink(), memoryExportSink()],
      log,
    });
    results.auditExport = auditExport;
    for (const line of exportTable(auditExport)) log(line);
  }

  const out = fileURLToPath(
    new URL(httpOnly ? './results/http-only.json' : './results/latest.json', import.meta.url),
  );
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${out}`);
} finally {
  await deleteByPrefix(redis, prefix);
  redis.disconnect();
  await server?.stop();
}

/**
 * A send's store work: counters, the destination's opt-outs and the new record in one call; a
 * store that could not create it with the counters (it answers without `created`) creates it apart.
 */
async function sendWork(
  store: RedisStore,
  record: VerificationRecord,
  rules: CounterRule[],
  tallies?: readonly TallyOp[],
): Promise<void> {
  const counted = await store.hitCounters(rules, Date.now(), {
    optOuts: { tenantId: record.tenantId, destinationHash: record.destinationHash },
    create: record,
    ...(tallies === undefined ? {} : { tallies }),
  });
  if (!counted.allowed) throw new Error('bench send refused by its own counters');
  if (counted.created !== true) await store.create(record);
}

/** Runs each measured path briefly first, so JIT and script loading are not measured. */
async function warmUp(store: RedisStore, concurrency: number): Promise<void> {
  const records = Array.from({ length: 2_000 }, () =>
    makeRecord({ createdAt: Date.now(), lastSentAt: Date.now(), expiresAt: Date.now() + 600_000 }),
  );
  await measure(records.length, concurrency, async (i) => {
    const record = records[i] ?? makeRecord();
    await sendWork(store, record, [
      { key: `dest:${record.destinationHash}:600`, limit: 5, windowSeconds: 600, cost: 1 },
    ]);
  });
  await measure(records.length, concurrency, (i) =>
    store.check({
      id: records[i]?.id ?? '',
      candidates: ['h:123456'],
      binding: {},
      now: Date.now(),
    }),
  );
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = await unlimited(store, sms);
  await measure(1_000, concurrency, async (i) => {
    const to = phone(9_000_000 + i);
    const { id } = await checkpoint.send({ to, purpose: 'login' });
    await checkpoint.check({ id, code: sms.latest(to)?.code ?? '' });
  });
}

async function unlimited(store: Store, sms: Channel) {
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms],
    store,
    scheduler: noTimers,
  });
  await checkpoint.configure('default', {
    velocity: { destination: [], ip: [], asn: [], tenant: [] },
    // The pumping defence stays on (its counters and tallies ride in every send's script); its
    // thresholds are raised so that the bench's synthetic numbers, all in one block from one
    // address, are measured rather than refused.
    pumping: BENCH_PUMPING,
  });
  return checkpoint;
}

async function sendMany(
  checkpoint: Awaited<ReturnType<typeof unlimited>>,
  sms: ReturnType<typeof outboxChannel>,
  count: number,
) {
  const sent: Array<{ id: string; code: string }> = [];
  for (let i = 0; i < count; i += 1) {
    const to = phone(i);
    const { id } = await checkpoint.send({ to, purpose: 'login' });
    sent.push({ id, code: sms.latest(to)?.code ?? '' });
  }
  sms.clear();
  return sent;
}

function phone(i: number): string {
  return `+1415${String(2_000_000 + (i % 8_000_000)).padStart(7, '0')}`;
}

async function bytesPerPendingVerification() {
  // Measured under the default prefix, as production runs it — on the bench's private server only;
  // on a shared REDIS_URL server the bench stays inside its own prefix.
  const memoryPrefix = external ? prefix : 'cp:';
  const store = new RedisStore({ redis, prefix: memoryPrefix });
  // A channel that answers like Twilio: 34-character message SIDs.
  const twilioLike: Channel = {
    name: 'sms',
    kind: 'phone',
    send: async () => ({
      providerMessageId: `SM${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`,
      status: 'queued',
    }),
  };
  const checkpoint = await unlimited(store, twilioLike);
  const before = new Set(await redis.keys(`${memoryPrefix}*`));
  const { id } = await checkpoint.send({
    to: '+14155550100',
    purpose: 'login',
    context: { ip: '203.0.113.9' },
  });
  const keys = (await redis.keys(`${memoryPrefix}*`)).filter((key) => !before.has(key));
  const measured = await Promise.all(
    keys.map(async (key) => ({
      kind: key.includes(':v:') ? 'record' : key.includes('{r:') ? 'message index' : key,
      bytes: Number(await redis.memory('USAGE', key)),
    })),
  );
  void id;
  await deleteByPrefix(redis, memoryPrefix);
  return { total: measured.reduce((sum, entry) => sum + entry.bytes, 0), keys: measured };
}
