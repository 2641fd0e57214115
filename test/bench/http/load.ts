// Load generators of the HTTP bench, both bounded in count: autocannon with a fixed `amount` of
// requests, and a login loop of `total` iterations over keep-alive connections.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { combine, type Measurement, measure } from '../measure.js';

/** A measurement of HTTP requests, with the answers that were not the expected one. */
export interface HttpMeasurement extends Measurement {
  /** Answers with a status outside 2xx. */
  non2xx: number;
  /** Answers that were not the expected one (a 2xx included: e.g. `failed` instead of `approved`). */
  unexpected: number;
  /** Connection errors and timeouts. */
  errors: number;
  /**
   * The server thread's event-loop busy time per answer, in microseconds: what one request costs
   * the server, apart from the load generator and redis-server sharing the machine.
   */
  serverUs?: number;
}

export interface CannonOptions {
  port: number;
  path: string;
  connections: number;
  /** Requests to send, then stop. */
  amount: number;
  /** The JSON body of the i-th request (every request gets its own i). */
  body: (index: number) => string;
  /** Whether an answer is the expected one. */
  expect: (status: number, body: string) => boolean;
}

/**
 * POSTs `amount` JSON requests with autocannon over `connections` keep-alive connections.
 * Throughput is answers over the time from the start to the last answer; latencies are per answer.
 */
export function cannon(options: CannonOptions): Promise<HttpMeasurement> {
  const { amount } = options;
  const latencies = new Float64Array(amount);
  let answered = 0;
  let next = 0;
  let unexpected = 0;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let lastAnswer = started;
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}`,
        connections: options.connections,
        amount,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: options.path,
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: options.body(next++) }),
            onResponse: (status, body) => {
              if (!options.expect(status, body)) unexpected += 1;
            },
          },
        ],
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
          return;
        }
        // Up to the last answer: autocannon notices that `amount` is reached on its 1 s tick.
        const seconds = Number(lastAnswer - started) / 1e9;
        const measured = latencies.subarray(0, answered);
        const sorted = Float64Array.from(measured).sort();
        const at = (q: number): number =>
          sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
        resolve({
          ops: answered,
          opsPerSecond: answered / seconds,
          p50Ms: at(0.5),
          p99Ms: at(0.99),
          latencies: measured,
          seconds,
          non2xx: result.non2xx,
          unexpected,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (answered < amount) latencies[answered] = responseTime;
      answered += 1;
      lastAnswer = process.hrtime.bigint();
    });
  });
}

/** Rounds of one HTTP operation as one measurement (see `combine`), with the counts added up. */
export function combineHttp(rounds: readonly HttpMeasurement[]): HttpMeasurement {
  const sum = (field: 'non2xx' | 'unexpected' | 'errors'): number =>
    rounds.reduce((total, round) => total + round[field], 0);
  return {
    ...combine(rounds),
    non2xx: sum('non2xx'),
    unexpected: sum('unexpected'),
    errors: sum('errors'),
    ...(rounds.every((round) => round.serverUs !== undefined)
      ? {
          serverUs:
            rounds.reduce((total, round) => total + (round.serverUs ?? 0) * round.ops, 0) /
            Math.max(
              1,
              rounds.reduce((total, round) => total + round.ops, 0),
            ),
        }
      : {}),
  };
}

/** What the login loop needs to log a user in. */
export interface LoginTarget {
  port: number;
  users: ReadonlyArray<{ username: string; password: string }>;
  /** The code the user's phone received for a verification id. */
  code: (id: string) => Promise<string>;
}

/**
 * `total` password + OTP logins, `concurrency` at a time, each on its own cookie jar: POST
 * /login/password (202 with the verification id and the pending session's cookie), the code from
 * the channel, POST /login/otp with that cookie (200 with both factors). Latency is per login.
 */
export async function loginLoop(
  target: LoginTarget,
  concurrency: number,
  total: number,
): Promise<HttpMeasurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let non2xx = 0;
  let unexpected = 0;
  let errors = 0;
  try {
    const measured = await measure(total, concurrency, async (index) => {
      const user = target.users[index % target.users.length];
      if (user === undefined) throw new Error('no bench users');
      try {
        const password = await postJson(agent, target.port, '/login/password', {
          username: user.username,
          password: user.password,
        });
        const id = password.status === 202 ? idOf(password.body) : undefined;
        if (id === undefined || password.cookie === undefined) {
          if (password.status >= 300) non2xx += 1;
          else unexpected += 1;
          return;
        }
        const code = await target.code(id);
        const otp = await postJson(agent, target.port, '/login/otp', { id, code }, password.cookie);
        if (otp.status >= 300) non2xx += 1;
        else if (otp.status !== 200 || !otp.body.includes('"factors":["pwd","otp-sms"]'))
          unexpected += 1;
      } catch {
        errors += 1;
      }
    });
    return { ...measured, non2xx, unexpected, errors };
  } finally {
    agent.destroy();
  }
}

function idOf(body: string): string | undefined {
  const parsed = JSON.parse(body) as { id?: unknown };
  return typeof parsed.id === 'string' ? parsed.id : undefined;
}

interface Answer {
  status: number;
  body: string;
  /** `name=value` of the first Set-Cookie. */
  cookie: string | undefined;
}

function postJson(
  agent: Agent,
  port: number,
  path: string,
  body: unknown,
  cookie?: string,
): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        timeout: 10_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(cookie === undefined ? {} : { cookie }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
