// Logs are read by many people and kept by other systems: no code, full number or email may reach them.
import { describe, expect, it } from 'vitest';
import { type PinoLikeLogger, redactingLogger } from './redactingLogger.js';

function capture() {
  const calls: unknown[][] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      calls.push([level, ...args]);
    };
  const logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  } satisfies PinoLikeLogger;
  return { logger, calls, text: () => JSON.stringify(calls) };
}

describe('redactingLogger', () => {
  it('masks phone numbers and emails in fields and messages, keeping the last two digits', () => {
    const { logger, calls } = capture();
    redactingLogger(logger).info(
      { to: '+14155550100', user: { email: 'jane.doe@example.com', phones: ['(415) 555-0101'] } },
      'sent to +1 415 555 0102 and jane.doe@example.com',
    );
    expect(calls).toEqual([
      [
        'info',
        { to: '[phone …00]', user: { email: 'j***@e***.com', phones: ['[phone …01]'] } },
        'sent to [phone …02] and j***@e***.com',
      ],
    ]);
  });

  it('drops fields that hold codes or secrets and hides a lone six-digit run', () => {
    const { logger, calls, text } = capture();
    redactingLogger(logger).warn(
      {
        code: '042913',
        otp: 42913,
        verificationCode: '123456',
        password: 'hunter2',
        authToken: 'tok',
        errorCode: '30003',
        statusCode: 503,
        nested: { pin: '1234', note: 'your code is 771204' },
      },
      'checked 771204',
    );
    expect(calls[0]?.[1]).toEqual({
      errorCode: '30003',
      statusCode: 503,
      nested: { note: 'your code is [redacted]' },
    });
    expect(calls[0]?.[2]).toBe('checked [redacted]');
    for (const secret of ['042913', '42913', '123456', 'hunter2', 'tok"', '1234', '771204']) {
      expect(text()).not.toContain(secret);
    }
  });

  it('keeps what an operator needs: error codes, ids, timestamps, IP-free reasons', () => {
    const { logger, calls } = capture();
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    redactingLogger(logger).error({
      err,
      verificationId: 'vf_Ab12345678901234567890',
      at: '2026-11-22T12:00:00.000Z',
      reasons: ['twilio:30003', 'velocity:ip'],
      attempts: 3,
    });
    expect(calls[0]?.[1]).toEqual({
      err: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
      verificationId: 'vf_Ab12345678901234567890',
      at: '2026-11-22T12:00:00.000Z',
      reasons: ['twilio:30003', 'velocity:ip'],
      attempts: 3,
    });
  });

  it('escapes line breaks and control characters so input cannot forge a log line', () => {
    const { logger, calls } = capture();
    redactingLogger(logger).info({ userAgent: 'x\r\nINFO forged\u0007' }, 'line\nbreak');
    expect(calls[0]).toEqual(['info', { userAgent: 'x\\r\\nINFO forged\\u0007' }, 'line\\nbreak']);
  });

  it('accepts pino\u2019s string-first calls and child loggers, with or without child support', () => {
    const { logger, calls } = capture();
    const log = redactingLogger(logger);
    log.info('texted %s', '+14155550100');
    log.child({ requestId: 'r1', email: 'a.b@example.org' }).debug({ n: 1 }, 'done');
    expect(calls).toEqual([
      ['info', 'texted %s', '[phone …00]'],
      ['debug', { requestId: 'r1', email: 'a***@e***.org', n: 1 }, 'done'],
    ]);
    const children: unknown[] = [];
    const pinoish = {
      ...logger,
      child: (bindings: Record<string, unknown>) => {
        children.push(bindings);
        return logger;
      },
    };
    redactingLogger(pinoish).child({ to: '+447700900123' }).info({ ok: true });
    expect(children).toEqual([{ to: '[phone …23]' }]);
  });

  it('bounds depth and survives cycles', () => {
    const { logger, calls } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    redactingLogger(logger).info({
      loop,
      deep: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } },
    });
    expect(JSON.stringify(calls)).toContain('[circular]');
    expect(JSON.stringify(calls)).toContain('[depth]');
  });

  it('refuses something that is not a logger', () => {
    expect(() => redactingLogger({} as PinoLikeLogger)).toThrow(TypeError);
  });
});
