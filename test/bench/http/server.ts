// The HTTP bench's server thread: the three apps on 127.0.0.1, off the load generator's event
// loop. Started by servers.ts; stops when the main thread says `close`.
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type Channel, createCheckpoint, outboxChannel, type Scheduler } from '@checkpoint/core';
import { RedisStore, redisOptions } from '@checkpoint/redis';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { referenceScript } from '../reference.js';
import { limitApp, loginApp, otpApp } from './apps.js';
import { discardAuditLog } from './discardAuditLog.js';
import type { ServerData, ToMain, ToServer } from './protocol.js';
import { BENCH_PUMPING } from '../pumpingThresholds.js';

if (parentPort === null)
  throw new Error('bench/http/server.ts runs as a worker thread (servers.ts)');
const port: MessagePort = parentPort;
const post = (message: ToMain): void => port.postMessage(message);
const data = workerData as ServerData;

// As in run.ts: timers are not what is measured.
const noTimers: Scheduler = {
  setHandler: () => undefined,
  schedule: async () => undefined,
  cancel: async () => undefined,
  close: async () => undefined,
};

// BENCH_HTTP_PROFILE=<file.cpuprofile>: a CPU profile of this thread over the whole HTTP section.
const profileTo = process.env.BENCH_HTTP_PROFILE;
const profiler = profileTo === undefined || profileTo === '' ? undefined : new Session();
if (profiler !== undefined) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

// The client bounds every command itself (commandTimeout <= the store's timeoutMs, as README
// recommends), so RedisStore adds no timer of its own per call.
const redis = new Redis(data.redisUrl, {
  ...redisOptions({ commandTimeout: 2_000 }),
  enableOfflineQueue: true,
});
const sessions = createClient({ url: data.redisUrl });
await sessions.connect();
// As a production deployment runs it: tenant configuration cached, changes announced by pub/sub.
const store = new RedisStore({ redis, prefix: data.prefix, cacheTenantConfig: true });

// /otp/send: an outbox, no channel I/O (cleared between rounds).
const outbox = outboxChannel({ name: 'sms' });
const otpCheckpoint = createCheckpoint({
  secret: data.secret,
  channels: [outbox],
  store,
  scheduler: noTimers,
  auditLog: discardAuditLog,
});
// The login: a channel that hands the code to the load loop, as a phone would to its user.
let sequence = 0;
const relay: Channel = {
  name: 'sms',
  kind: 'phone',
  send: async (message) => {
    post({ type: 'code', id: message.verificationId, code: message.code });
    sequence += 1;
    return { providerMessageId: `relay-${sequence}`, status: 'sent' };
  },
};
const loginCheckpoint = createCheckpoint({
  secret: data.secret,
  channels: [relay],
  store,
  scheduler: noTimers,
  auditLog: discardAuditLog,
});
// The same, without the pumping defence: the price of the defence, measured side by side.
const unguardedCheckpoint = createCheckpoint({
  secret: data.secret,
  channels: [outbox],
  store,
  scheduler: noTimers,
  auditLog: discardAuditLog,
  guards: [],
});
await otpCheckpoint.configure('default', {
  velocity: { destination: [], ip: [], asn: [], tenant: [] },
  // The pumping defence stays on (its counters and tallies ride in every send's script); its
  // thresholds are raised so that the bench's synthetic numbers, all in one block from one
  // address, are measured rather than refused.
  pumping: BENCH_PUMPING,
});

const reference = referenceScript(redis);
const servers = await Promise.all([
  listen(limitApp(() => reference(data.referenceKey))),
  listen(otpApp(otpCheckpoint, data.secret)),
  listen(otpApp(unguardedCheckpoint, data.secret)),
  listen(
    loginApp({
      checkpoint: loginCheckpoint,
      users: data.users,
      sessionStore: new RedisSessionStore({ client: sessions, prefix: `${data.prefix}sess:` }),
      sessionSecret: data.secret,
    }),
  ),
]);
const [limit, otp, otpUnguarded, login] = servers.map(
  (server) => (server.address() as AddressInfo).port,
);
post({
  type: 'ready',
  ports: { limit: limit ?? 0, otp: otp ?? 0, otpUnguarded: otpUnguarded ?? 0, login: login ?? 0 },
});

port.on('message', (message: ToServer) => {
  if (message.type === 'clear') outbox.clear();
  if (message.type === 'busy')
    post({ type: 'busy', activeMs: performance.eventLoopUtilization().active });
  if (message.type === 'close') void close();
});

async function close(): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  await Promise.all([otpCheckpoint.close(), unguardedCheckpoint.close(), loginCheckpoint.close()]);
  await sessions.close();
  redis.disconnect();
  if (profiler !== undefined && profileTo !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
    profiler.disconnect();
  }
  post({ type: 'closed' });
  port.close();
}

function listen(app: Express): Promise<Server> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
