// The HTTP section of `pnpm bench`: otpRouter's /check and /send and a Passport password + OTP
// login against a bare Express JSON endpoint that makes one Redis call, side by side in one run.
// The servers run in a worker thread (servers.ts, server.ts), the load generators here; all
// traffic goes to 127.0.0.1 and every loop is bounded by a request count.
// BENCH_HTTP_PROFILE=/tmp/http.cpuprofile writes a CPU profile of the server thread. Each row also
// reports the server thread's event-loop busy time per request, apart from the load generator.
import { randomBytes, scryptSync } from 'node:crypto';
import { createCheckpoint, outboxChannel, type Scheduler } from '@checkpoint/core';
import { RedisStore } from '@checkpoint/redis';
import { deleteByPrefix, testPrefix } from '@checkpoint/redis/testing';
import type { Redis } from 'ioredis';
import { measure } from '../measure.js';
import { discardAuditLog } from './discardAuditLog.js';
import { cannon, combineHttp, type HttpMeasurement, loginLoop } from './load.js';
import type { BenchUser } from './protocol.js';
import { startServers } from './servers.js';
import { BENCH_PUMPING } from '../pumpingThresholds.js';

/**
 * Connection counts. 1 shows the per-request cost with nothing queued; 50 the throughput of a
 * loaded process (2-core machine: load generator, server thread and redis-server share it).
 */
export const HTTP_CONNECTIONS = [1, 50] as const;
const ROUNDS = 5;
/** Requests (logins for `login`) per round; ROUNDS rounds each, interleaved, after a warm-up. */
const AMOUNT = {
  1: {
    limit: 3_000,
    check: 2_000,
    send: 1_000,
    checkUnguarded: 2_000,
    sendUnguarded: 1_000,
    login: 300,
  },
  50: {
    limit: 10_000,
    check: 6_000,
    send: 3_000,
    checkUnguarded: 6_000,
    sendUnguarded: 3_000,
    login: 1_500,
  },
} as const;
const TARGET = { check: 0.8, send: 0.5 } as const;
const USERS = 200;
/**
 * BENCH_HTTP_OPS=limit,check (comma-separated operations) puts only those under load, e.g. for a
 * CPU profile of one route; without `limit` the rows have no ratio.
 */
const ONLY = new Set((process.env.BENCH_HTTP_OPS ?? '').split(',').filter((op) => op !== ''));
const runs = (operation: Operation): boolean => ONLY.size === 0 || ONLY.has(operation);
/** BENCH_HTTP_CONNECTIONS=50 runs one of the connection counts (for a profile, or a quicker look). */
const ONLY_CONNECTIONS =
  process.env.BENCH_HTTP_CONNECTIONS === undefined
    ? undefined
    : Number(process.env.BENCH_HTTP_CONNECTIONS);

/** In the order each round runs them, the limit first. */
const OPERATIONS = ['limit', 'check', 'send', 'checkUnguarded', 'sendUnguarded', 'login'] as const;
type Operation = (typeof OPERATIONS)[number];
type Amounts = Record<Operation, number>;

/** One row of the HTTP table. */
export interface HttpRow {
  operation: Operation;
  connections: number;
  measurement: HttpMeasurement;
  /** Throughput over the limit's at the same connection count. */
  ratio: number;
  target: number | undefined;
}

export interface HttpBench {
  rows: HttpRow[];
  /** What run.ts writes under `http` in latest.json. */
  json: Record<string, unknown>;
}

const noTimers: Scheduler = {
  setHandler: () => undefined,
  schedule: async () => undefined,
  cancel: async () => undefined,
  close: async () => undefined,
};

const approved = (status: number, body: string): boolean =>
  status === 200 && body.includes('"status":"approved"');
const accepted = (status: number, body: string): boolean =>
  status === 202 && body.includes('"id":"vf_');

export async function benchHttp({
  redis,
  url,
  secret,
  log,
}: {
  /** The bench's client (no keyPrefix): pre-creates verifications, cleans up. */
  redis: Redis;
  url: string;
  secret: string;
  log: (line: string) => void;
}): Promise<HttpBench> {
  const prefix = testPrefix('bench-http');
  const referenceKey = `${prefix}{ref}:v`;
  const users: BenchUser[] = Array.from({ length: USERS }, (_, i) => ({
    id: `u${i}`,
    username: `user${i}`,
    password: `password-${i}`,
    phone: phone(7_000_000 + i),
  }));
  // Pre-creates the verifications /otp/check approves, on the servers' store and secret.
  const sms = outboxChannel({ name: 'sms' });
  const checkpoint = createCheckpoint({
    secret,
    channels: [sms],
    store: new RedisStore({ redis, prefix }),
    scheduler: noTimers,
    auditLog: discardAuditLog,
  });
  await checkpoint.configure('default', {
    velocity: { destination: [], ip: [], asn: [], tenant: [] },
    // The pumping defence stays on (its counters and tallies ride in every send's script); its
    // thresholds are raised so that the bench's synthetic numbers, all in one block from one
    // address, are measured rather than refused.
    pumping: BENCH_PUMPING,
  });
  await redis.set(referenceKey, 'x'.repeat(150));
  const servers = await startServers({ redisUrl: url, prefix, secret, referenceKey, users });
  log(
    `HTTP servers on 127.0.0.1 (limit :${servers.ports.limit}, otpRouter :${servers.ports.otp}, login :${servers.ports.login}) in a worker thread; keys under ${prefix}`,
  );

  let checkPhones = 0;
  let sendPhones = 3_000_000;
  const precreate = async (count: number): Promise<string[]> => {
    const bodies: string[] = [];
    await measure(count, 50, async (i) => {
      const to = phone(checkPhones++);
      const { id } = await checkpoint.send({
        to,
        purpose: 'login',
        context: { ip: '203.0.113.9' },
      });
      bodies[i] = JSON.stringify({ id, code: sms.latest(to)?.code ?? '' });
    });
    sms.clear();
    return bodies;
  };

  /** Runs one load and adds the server thread's busy time per answer to its measurement. */
  const metered = async (run: () => Promise<HttpMeasurement>): Promise<HttpMeasurement> => {
    const before = await servers.busyMs();
    const measurement = await run();
    const busyMs = (await servers.busyMs()) - before;
    return { ...measurement, serverUs: (busyMs * 1_000) / Math.max(1, measurement.ops) };
  };

  /** One round: each operation once, in this order, the limit first. */
  const round = async (
    connections: number,
    amount: Amounts,
  ): Promise<Partial<Record<Operation, HttpMeasurement>>> => {
    const checks = await precreate(runs('check') ? amount.check : 1);
    const unguardedChecks = await precreate(runs('checkUnguarded') ? amount.checkUnguarded : 1);
    const bodies = (count: number) =>
      Array.from({ length: count }, () =>
        JSON.stringify({ to: phone(sendPhones++), purpose: 'login' }),
      );
    const sends = bodies(amount.send);
    const unguardedSends = bodies(runs('sendUnguarded') ? amount.sendUnguarded : 0);
    const shot = (
      port: number,
      path: string,
      count: number,
      body: (i: number) => string,
      expect = approved,
    ) => cannon({ port, path, connections, amount: count, body, expect });
    const loads: Record<Operation, () => Promise<HttpMeasurement>> = {
      // The limit gets the same bodies as /check, so the load generator's work is the same.
      limit: () =>
        shot(servers.ports.limit, '/limit', amount.limit, (i) => checks[i % checks.length] ?? '{}'),
      check: () => shot(servers.ports.otp, '/otp/check', amount.check, (i) => checks[i] ?? '{}'),
      send: () =>
        shot(servers.ports.otp, '/otp/send', amount.send, (i) => sends[i] ?? '{}', accepted),
      checkUnguarded: () =>
        shot(
          servers.ports.otpUnguarded,
          '/otp/check',
          amount.checkUnguarded,
          (i) => unguardedChecks[i] ?? '{}',
        ),
      sendUnguarded: () =>
        shot(
          servers.ports.otpUnguarded,
          '/otp/send',
          amount.sendUnguarded,
          (i) => unguardedSends[i] ?? '{}',
          accepted,
        ),
      login: () =>
        loginLoop(
          { port: servers.ports.login, users, code: (id) => servers.code(id) },
          connections,
          amount.login,
        ),
    };
    const measured: Partial<Record<Operation, HttpMeasurement>> = {};
    for (const operation of OPERATIONS) {
      if (runs(operation)) measured[operation] = await metered(loads[operation]);
    }
    servers.clearOutbox();
    return measured;
  };

  const rows: HttpRow[] = [];
  const json: Record<string, unknown> = {
    connections: [...HTTP_CONNECTIONS],
    rounds: ROUNDS,
    amountPerRound: AMOUNT,
    targets: TARGET,
    limit:
      'bare Express 5 app: express.json, POST /limit, one EVALSHA (the reference script of reference.ts), JSON answer',
    auditLog: 'discarded (discardAuditLog.ts): events are built, not kept',
    login:
      'per login: POST /login/password (passport-local, beginSecondFactor, checkpoint.send) + POST /login/otp (OtpStrategy, completeLogin); sessions in Redis via connect-redis; SHA-256 passwords',
  };
  try {
    for (const connections of HTTP_CONNECTIONS) {
      if (ONLY_CONNECTIONS !== undefined && ONLY_CONNECTIONS !== connections) continue;
      const amount = AMOUNT[connections];
      // Warm-up: JIT, script loading, connection pools.
      await round(connections, scaled(amount, 1 / 3));
      const parts: Record<Operation, HttpMeasurement[]> = {
        limit: [],
        check: [],
        send: [],
        checkUnguarded: [],
        sendUnguarded: [],
        login: [],
      };
      for (let r = 0; r < ROUNDS; r += 1) {
        const measured = await round(connections, amount);
        for (const operation of Object.keys(parts) as Operation[]) {
          const part = measured[operation];
          if (part !== undefined) parts[operation].push(part);
        }
      }
      const limit = combineHttp(parts.limit);
      const entry: Record<string, unknown> = {};
      for (const operation of Object.keys(parts) as Operation[]) {
        if (parts[operation].length === 0) continue;
        const measurement = operation === 'limit' ? limit : combineHttp(parts[operation]);
        const ratio = measurement.opsPerSecond / limit.opsPerSecond;
        const target =
          operation === 'check' || operation === 'send' ? TARGET[operation] : undefined;
        rows.push({ operation, connections, measurement, ratio, target });
        entry[operation] = {
          ...measurement,
          ratioToLimit: round2(ratio),
          // Each round's throughput over that round's limit: how steady the ratio is.
          roundRatios: parts[operation].map((part, r) =>
            round2(part.opsPerSecond / (parts.limit[r]?.opsPerSecond ?? Number.NaN)),
          ),
        };
      }
      json[`c${connections}`] = entry;
      log(`HTTP at ${connections} connection(s): done`);
    }
    json.scryptMsPerPassword = scryptMs();
  } finally {
    await servers.close();
    await checkpoint.close();
    await deleteByPrefix(redis, prefix);
  }
  return { rows, json };
}

const NAMES: Record<Operation, string> = {
  limit: 'bare Express JSON + 1 EVALSHA (the limit)',
  check: 'POST /otp/check (otpRouter, RedisStore)',
  send: 'POST /otp/send (otpRouter, RedisStore, outbox)',
  checkUnguarded: 'POST /otp/check, no pumping guards (guards: [])',
  sendUnguarded: 'POST /otp/send, no pumping guards (guards: [])',
  login: 'password + OTP login, logins/s (Passport, connect-redis)',
};

/** The markdown table of the HTTP rows. */
export function httpTable({ rows, json }: HttpBench): string[] {
  const lines = [
    '| operation | connections | req/s | p50 ms | p99 ms | non-2xx / wrong / errors | server µs / request | ratio to the limit | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const { operation, connections, measurement: m, ratio, target } of rows) {
    const verdict =
      target === undefined
        ? '—'
        : `≥ ${target.toFixed(2)} x: ${ratio >= target ? 'met' : 'missed'}`;
    // Two decimals, unless rounding would hide which side of the target the ratio is on.
    const shown =
      target !== undefined && ratio < target && Number(ratio.toFixed(2)) >= target
        ? ratio.toFixed(3)
        : ratio.toFixed(2);
    lines.push(
      `| ${NAMES[operation]} | ${connections} | ${m.opsPerSecond.toFixed(0)} | ${m.p50Ms.toFixed(2)} | ${m.p99Ms.toFixed(2)} | ${m.non2xx} / ${m.unexpected} / ${m.errors} | ${m.serverUs === undefined ? '—' : m.serverUs.toFixed(0)} | ${shown} | ${verdict} |`,
    );
  }
  const scrypt = json.scryptMsPerPassword;
  lines.push(
    '',
    "Server µs / request: the server thread's event-loop busy time per answer (Node eventLoopUtilization), apart from the load generator and redis-server that share the machine.",
  );
  if (typeof scrypt === 'number') {
    lines.push(
      '',
      `A login's password check here is a SHA-256 compare; a scrypt hash (Node defaults, as in the passport example) would add ${scrypt.toFixed(1)} ms of event-loop time per login.`,
    );
  }
  return lines;
}

function scaled(amount: Amounts, factor: number): Amounts {
  const scale = (n: number): number => Math.max(50, Math.round(n * factor));
  return {
    limit: scale(amount.limit),
    check: scale(amount.check),
    send: scale(amount.send),
    checkUnguarded: scale(amount.checkUnguarded),
    sendUnguarded: scale(amount.sendUnguarded),
    login: scale(amount.login),
  };
}

/** Milliseconds one scrypt password hash costs with Node's defaults (N=16384, r=8, p=1). */
function scryptMs(): number {
  const salt = randomBytes(16);
  scryptSync('warm-up', salt, 32);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 5; i += 1) scryptSync(`password-${i}`, salt, 32);
  return round2(Number(process.hrtime.bigint() - started) / 1e6 / 5);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function phone(i: number): string {
  return `+1415${String(2_000_000 + (i % 8_000_000)).padStart(7, '0')}`;
}
